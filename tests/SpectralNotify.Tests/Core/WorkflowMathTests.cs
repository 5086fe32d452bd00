using SpectralNotify.Workflows;

namespace SpectralNotify.Tests.Core;

/// <summary>The progress math of protocol §8, with the reference's own test vectors.</summary>
public sealed class WorkflowMathTests
{
    private static readonly (string Key, double Weight, string? Parent)[] TranscriptDigestShape =
    [
        ("transcription", 0.4, null),
        ("transcription.download", 0.4, "transcription"),
        ("transcription.transcription", 0.4, "transcription"),
        ("transcription.write-transcript", 0.1, "transcription"),
        ("transcription.write-paragraphed", 0.1, "transcription"),
        ("digest", 0.6, null),
        ("digest.text", 0.03, "digest"),
        ("digest.analyze", 0.05, "digest"),
        ("digest.extract-frames", 0.17, "digest"),
        ("digest.detect-dead-time", 0.08, "digest"),
        ("digest.select-candidates", 0.08, "digest"),
        ("digest.visual-analysis", 0.45, "digest"),
        ("digest.merge", 0.05, "digest"),
        ("digest.persist", 0.09, "digest"),
    ];

    private static List<WorkflowPhase> TranscriptDigest(double all = 0, params (string Key, double Progress)[] set) =>
        TranscriptDigestShape.Select((p, i) => new WorkflowPhase
        {
            Key = p.Key, Label = p.Key, Weight = p.Weight, ParentPhaseKey = p.Parent, Order = i,
            Progress = set.Where(s => s.Key == p.Key).Select(s => s.Progress).DefaultIfEmpty(all).First(),
        }).ToList();

    private static WorkflowPhase P(string key, double weight, double progress, string? parent = null, int order = 0) =>
        new() { Key = key, Label = key, Weight = weight, Progress = progress, ParentPhaseKey = parent, Order = order };

    [Fact]
    public void Flat_weights() => Assert.Equal(75, WorkflowMath.Overall([P("a", 0.5, 50), P("b", 0.5, 100, order: 1)]));

    [Fact]
    public void TranscriptDigest_all_zero_and_all_done()
    {
        Assert.Equal(0, WorkflowMath.Overall(TranscriptDigest(0)));
        Assert.Equal(100, WorkflowMath.Overall(TranscriptDigest(100)));
    }

    [Fact]
    public void Parent_rolls_up_from_children_and_ignores_its_own_progress() =>
        Assert.Equal(80, WorkflowMath.Overall([P("p", 1.0, 0), P("c1", 0.6, 100, "p", 1), P("c2", 0.4, 50, "p", 2)]));

    [Theory]
    [InlineData(100.0, 16)]
    [InlineData(33.0, 5)]
    public void One_child_of_transcription(double progress, int expected) =>
        Assert.Equal(expected, WorkflowMath.Overall(TranscriptDigest(0, ("transcription.download", progress))));

    [Fact]
    public void Reference_vectors_with_several_phases()
    {
        Assert.Equal(24, WorkflowMath.Overall(TranscriptDigest(0, ("transcription.download", 100), ("transcription.transcription", 50))));
        Assert.Equal(40, WorkflowMath.Overall(TranscriptDigest(0,
            ("transcription.download", 100), ("transcription.transcription", 100), ("transcription.write-transcript", 100), ("transcription.write-paragraphed", 100))));
        Assert.Equal(64, WorkflowMath.Overall(TranscriptDigest(0,
            ("transcription.download", 100), ("transcription.transcription", 100), ("transcription.write-transcript", 100), ("transcription.write-paragraphed", 100),
            ("digest.text", 100), ("digest.analyze", 100), ("digest.extract-frames", 100), ("digest.detect-dead-time", 100), ("digest.select-candidates", 100))));
        Assert.Equal(49, WorkflowMath.Overall(TranscriptDigest(0,
            ("transcription.download", 100), ("transcription.transcription", 100), ("transcription.write-transcript", 100), ("transcription.write-paragraphed", 100),
            ("digest.text", 100), ("digest.analyze", 100), ("digest.extract-frames", 50))));
    }

    [Fact]
    public void Edge_cases()
    {
        Assert.Equal(0, WorkflowMath.Overall([]));
        Assert.Equal(75, WorkflowMath.Overall([P("only", 1.0, 75)]));
        Assert.Equal(50, WorkflowMath.Overall([P("top", 1.0, 50), P("orphan", 1.0, 100, "missing", 1)]));
    }

    [Fact]
    public void Validation_accepts_the_reference_shape_and_names_each_broken_rule()
    {
        Assert.Empty(PhaseValidation.Validate(TranscriptDigestShape.Select(p => new PhaseInput(p.Key, p.Key, p.Weight, p.Parent)).ToList()));
        Assert.Contains(PhaseValidation.Validate([]), e => e.Rule.Contains("at least one", StringComparison.Ordinal));
        var dup = PhaseValidation.Validate([new("a", "A", 0.5), new("a", "A", 0.5)]);
        Assert.Contains(dup, e => e.Field == "phases[1].key" && e.Rule.Contains("unique", StringComparison.Ordinal));
        var sum = PhaseValidation.Validate([new("a", "A", 0.5), new("b", "B", 0.4)]);
        Assert.Contains(sum, e => e.Rule.Contains("top-level", StringComparison.Ordinal) && e.Rule.Contains("0.9", StringComparison.Ordinal));
        var children = PhaseValidation.Validate([new("p", "P", 1), new("c", "C", 0.5, "p")]);
        Assert.Contains(children, e => e.Rule.Contains("children of 'p'", StringComparison.Ordinal));
        Assert.Contains(PhaseValidation.Validate([new("a", "A", 1), new("c", "C", 1, "nope")]), e => e.Field == "phases[1].parentPhaseKey");
        Assert.Contains(PhaseValidation.Validate([new("a", "A", 1.5)]), e => e.Field == "phases[0].weight");
        Assert.Empty(PhaseValidation.Validate([new("a", "A", 0.3333), new("b", "B", 0.3333), new("c", "C", 0.3334)]));
        var cycle = PhaseValidation.Validate([new("top", "T", 1), new("x", "X", 1, "y"), new("y", "Y", 1, "x")]);
        Assert.Contains(cycle, e => e.Rule.Contains("cycle", StringComparison.Ordinal));
    }
}
