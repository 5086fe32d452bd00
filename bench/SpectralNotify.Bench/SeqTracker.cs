namespace SpectralNotify.Bench;

/// <summary>
/// Checks one live stream's <c>seq</c>: every seq exactly once and in order, continuing after a
/// known position. A jump counts the seqs it skipped; a seq at or below the last is a duplicate
/// (or out of order). Single-threaded: one receive loop feeds it.
/// </summary>
internal sealed class SeqTracker(long after)
{
    /// <summary>The highest seq seen (the start position until the first message).</summary>
    public long Last { get; private set; } = after;

    /// <summary>Seq numbers skipped (sum of the jump sizes).</summary>
    public long Skipped { get; private set; }

    /// <summary>Number of jumps (a jump of 3 counts once here, 3 times in <see cref="Skipped"/>).</summary>
    public long Jumps { get; private set; }

    /// <summary>Messages whose seq was not above the last one seen.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Sets the start position when it is only known later (a <c>subscribed</c> answer).</summary>
    public void Begin(long after) => Last = after;

    public void Track(long seq)
    {
        if (seq == Last + 1)
        {
            Last = seq;
        }
        else if (seq <= Last)
        {
            Duplicates++;
        }
        else
        {
            Skipped += seq - Last - 1;
            Jumps++;
            Last = seq;
        }
    }
}
