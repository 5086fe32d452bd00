namespace SpectralNotify.Server.Realtime;

/// <summary>
/// How much one live connection may have queued: <paramref name="Messages"/> messages and
/// <paramref name="Bytes"/> payload bytes (<see cref="Hosting.SpectralOptions.SubscriberQueueCapacity"/>,
/// <see cref="Hosting.SpectralOptions.SubscriberQueueBytes"/>). Whichever is reached first closes it as too slow.
/// </summary>
public readonly record struct QueueBounds(int Messages, int Bytes);
