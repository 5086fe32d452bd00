using System.Text.Json;

namespace SpectralNotify.Worker.Protocol;

/// <summary>A run as <c>POST /api/v1/workers/claim</c> hands it out, with the lease token only its claimer gets.</summary>
internal sealed record ClaimedRun(
    string Id, string? JobId, string Type, string Queue, int Attempt, int MaxRetries, int? TimeoutSeconds,
    JsonElement Payload, string LeaseToken);

/// <summary>The claim's answer: the leased runs, possibly none.</summary>
internal sealed record ClaimAnswer(IReadOnlyList<ClaimedRun>? Runs);

/// <summary>The heartbeat's answer: the renewed lease and whether a cancel was asked for.</summary>
internal sealed record HeartbeatAnswer(DateTimeOffset? LeaseExpiresAt, bool CancelRequested);

/// <summary>A started tool execution: only its id matters to the worker.</summary>
internal sealed record ToolStarted(string Id);
