namespace SpectralNotify.Bench;

/// <summary>
/// What one subscription of the multiplexed connection received: its seq order, and per send
/// tick the latency of its change, from the POST being sent and from the server's commit
/// timestamp (NaN = not received). Fed by the connection's single receive loop only.
/// </summary>
internal sealed class MuxStream(int ticks)
{
    public SeqTracker Seq { get; } = new(-1);

    /// <summary>The <c>seq</c> of the <c>subscribed</c> answer, or -1 before it.</summary>
    public long SubscribedSeq { get; private set; } = -1;

    /// <summary>The <c>error</c> code that refused or ended the subscription, if any.</summary>
    public string? Error { get; set; }

    public double[] SendToReceiveMs { get; } = NaNs(ticks);

    public double[] CommitToReceiveMs { get; } = NaNs(ticks);

    /// <summary>Changes of the measured phase received (first copy of each tick).</summary>
    public long Received { get; private set; }

    /// <summary>Changes whose tick had already arrived.</summary>
    public long DuplicateTicks { get; private set; }

    public void Subscribed(long seq)
    {
        SubscribedSeq = seq;
        Seq.Begin(seq);
    }

    public void Change(int tick, double sendToReceiveMs, double commitToReceiveMs)
    {
        if (tick < 0 || tick >= SendToReceiveMs.Length)
        {
            return;
        }
        if (!double.IsNaN(SendToReceiveMs[tick]))
        {
            DuplicateTicks++;
            return;
        }
        SendToReceiveMs[tick] = sendToReceiveMs;
        CommitToReceiveMs[tick] = commitToReceiveMs;
        Received++;
    }

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }
}
