using SpectralNotify.Postgres;
using SpectralNotify.Tasks;

namespace SpectralNotify.Tests.Storage;

/// <summary>The PostgreSQL notification payload: round trip, size fallback, own-node prefix.</summary>
public sealed class ChangeNoticeTests
{
    private static TaskChange Change(string metadata) => TaskLifecycle.Apply(
        TaskLifecycle.Create(new NewTask { Id = "t1", Metadata = metadata }, DateTimeOffset.UnixEpoch).Task,
        new ProgressMutation(12.5, null), DateTimeOffset.UnixEpoch.AddSeconds(1));

    [Fact]
    public void A_small_change_travels_whole_and_a_large_one_by_position()
    {
        var small = ChangeNotice.Parse(ChangeNotice.ForChange("node-a", Change("""{"k":"ü"}""")))!;
        Assert.Equal(("node-a", "t1", 2L, false), (small.Node, small.Task, small.Seq, small.Deleted));
        Assert.Equal(Change("""{"k":"ü"}"""), small.Change);

        var big = ChangeNotice.ForChange("node-a", Change($$"""{"k":"{{new string('x', 9000)}}"}"""));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(big) < 8000);
        Assert.Null(ChangeNotice.Parse(big)!.Change);
        Assert.Equal(2, ChangeNotice.Parse(big)!.Seq);
    }

    [Fact]
    public void Own_prefix_matches_only_this_node()
    {
        var prefix = ChangeNotice.PrefixFor("a");
        Assert.StartsWith(prefix, ChangeNotice.ForChange("a", Change("{}")), StringComparison.Ordinal);
        Assert.StartsWith(prefix, ChangeNotice.ForDeletion("a", "t1"), StringComparison.Ordinal);
        Assert.False(ChangeNotice.ForChange("ab", Change("{}")).StartsWith(prefix, StringComparison.Ordinal));
        Assert.Null(ChangeNotice.Parse("not json"));
    }
}
