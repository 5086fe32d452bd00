using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <summary>
/// The multiplexed run's outcome over all subscriptions: loss (a change committed, answered with
/// success and never received), seq order, duplicates, and the two latency distributions, overall
/// and per send-second.
/// </summary>
internal sealed class MuxTally
{
    public long Received { get; private init; }
    public long Missing { get; private init; }
    /// <summary>Received although its batch POST failed on the client (committed anyway: not loss, not duplicate).</summary>
    public long Unexpected { get; private init; }
    public int SubscriptionsWithLoss { get; private init; }
    public int EndedWithError { get; private init; }
    public long SeqSkipped { get; private init; }
    public long SeqJumps { get; private init; }
    public long SeqDuplicates { get; private init; }
    public long DuplicateTicks { get; private init; }
    public LatencySummary CommitToReceive { get; private init; } = LatencySummary.Empty;
    public LatencySummary SendToReceive { get; private init; } = LatencySummary.Empty;
    public LatencySummary[] PerSecond { get; private init; } = [];

    public static MuxTally From(MuxStream[] streams, bool[,] ok, int batch, double rate, double duration)
    {
        var ticks = ok.GetLength(0);
        var commit = new List<double>();
        var send = new List<double>();
        var perSecond = Enumerable.Range(0, (int)Math.Ceiling(duration)).Select(_ => new List<double>()).ToArray();
        long received = 0, missing = 0, unexpected = 0;
        var withLoss = 0;
        var live = streams.Where(x => x.SubscribedSeq >= 0).ToArray();
        foreach (var (stream, i) in streams.Select((x, i) => (x, i)).Where(p => p.x.SubscribedSeq >= 0))
        {
            var lane = i / batch;
            var lost = false;
            for (var t = 0; t < ticks; t++)
            {
                var ms = stream.CommitToReceiveMs[t];
                if (double.IsNaN(ms))
                {
                    missing += ok[t, lane] ? 1 : 0;
                    lost |= ok[t, lane];
                    continue;
                }
                received++;
                unexpected += ok[t, lane] ? 0 : 1;
                commit.Add(ms);
                send.Add(stream.SendToReceiveMs[t]);
                perSecond[Math.Min((int)(t / rate), perSecond.Length - 1)].Add(ms);
            }
            withLoss += lost ? 1 : 0;
        }
        return new MuxTally
        {
            Received = received,
            Missing = missing,
            Unexpected = unexpected,
            SubscriptionsWithLoss = withLoss,
            EndedWithError = live.Count(x => x.Error is not null),
            SeqSkipped = live.Sum(x => x.Seq.Skipped),
            SeqJumps = live.Sum(x => x.Seq.Jumps),
            SeqDuplicates = live.Sum(x => x.Seq.Duplicates),
            DuplicateTicks = live.Sum(x => x.DuplicateTicks),
            CommitToReceive = LatencySummary.From([.. commit]),
            SendToReceive = LatencySummary.From([.. send]),
            PerSecond = [.. perSecond.Select(p => LatencySummary.From([.. p]))],
        };
    }

    public void Print(long expected, double drainSeconds)
    {
        Console.WriteLine(Fmt.S($"  delivered {Received}/{expected} (missing {Missing}, unexpected {Unexpected}) after {drainSeconds:F2} s drain; subscriptions with loss {SubscriptionsWithLoss}, ended by an error {EndedWithError}"));
        Console.WriteLine(Fmt.S($"  seq: {SeqSkipped} skipped in {SeqJumps} jumps, {SeqDuplicates} duplicate/out-of-order; duplicate changes {DuplicateTicks}"));
        Console.WriteLine(Fmt.S($"  delivery latency (server commit timestamp -> received): {CommitToReceive.Describe()}"));
        Console.WriteLine(Fmt.S($"  delivery latency (batch POST sent -> received):         {SendToReceive.Describe()}"));
        Console.WriteLine("  commit -> received per send-second: second  n  p50  p99  max (ms)");
        for (var i = 0; i < PerSecond.Length; i++)
        {
            var sec = PerSecond[i];
            Console.WriteLine(Fmt.S($"    {i,3} {sec.Count,7} {sec.P50,8:F2} {sec.P99,8:F2} {sec.Max,8:F2}"));
        }
    }

    public void AddTo(JsonObject json)
    {
        json["received"] = Received;
        json["missing"] = Missing;
        json["unexpected"] = Unexpected;
        json["subscriptions_with_loss"] = SubscriptionsWithLoss;
        json["ended_with_error"] = EndedWithError;
        json["seq_skipped"] = SeqSkipped;
        json["seq_jumps"] = SeqJumps;
        json["seq_duplicates"] = SeqDuplicates;
        json["duplicate_changes"] = DuplicateTicks;
        json["latency"] = CommitToReceive.ToJson();
        json["latency_from_send"] = SendToReceive.ToJson();
        json["per_second"] = new JsonArray([.. PerSecond.Select((sec, i) => (JsonNode)new JsonObject
        {
            ["second"] = i,
            ["n"] = sec.Count,
            ["p50_ms"] = Fmt.Round(sec.P50),
            ["p99_ms"] = Fmt.Round(sec.P99),
            ["max_ms"] = Fmt.Round(sec.Max),
        })]);
    }
}
