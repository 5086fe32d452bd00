using System.Collections.Concurrent;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// What a crash test's clients were told: every 2xx answer (the write is acknowledged, so it must
/// survive a crash), every attempt (an attempt cut before its answer may or may not have committed),
/// and every answer that was neither (which a healthy server should not give). Thread-safe.
/// </summary>
public sealed class AckLedger
{
    private readonly ConcurrentQueue<Ack> _acks = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>One acknowledged write: its kind, the entity it wrote, and what the answer said (seq, value, message).</summary>
    public sealed record Ack(string Kind, string Id, long Number, string? Text);

    public IReadOnlyList<Ack> Acks => [.. _acks];

    public IReadOnlyList<string> Unexpected => [.. _unexpected];

    public int Count => _acks.Count;

    public IEnumerable<Ack> Of(string kind) => _acks.Where(a => a.Kind == kind);

    public int Attempts(string kind) => _attempts.GetValueOrDefault(kind);

    /// <summary>Call before sending: the request may commit even if its answer never arrives.</summary>
    public void Attempt(string kind) => _attempts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Acknowledged(string kind, string id, long number = 0, string? text = null)
    {
        _acks.Enqueue(new Ack(kind, id, number, text));
        lock (_gate)
        {
            var count = _acks.Count;
            foreach (var w in _waiters.Where(w => count >= w.Count).ToList())
            {
                w.Signal.TrySetResult();
                _waiters.Remove(w);
            }
        }
    }

    /// <summary>A non-2xx answer from a server that was still up: a failure of its own, not of the crash.</summary>
    public void Refused(string what) => _unexpected.Enqueue(what);

    /// <summary>Completes once <paramref name="count"/> writes are acknowledged.</summary>
    public Task WhenCount(int count)
    {
        lock (_gate)
        {
            if (_acks.Count >= count)
            {
                return Task.CompletedTask;
            }
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }
}
