using System.Text.Json;

namespace SpectralNotify.Worker.Protocol;

// The request bodies of the HTTP worker protocol and of the run's task reports (docs/jobs.md).

internal sealed record ClaimBody(string WorkerId, IReadOnlyList<string> Queues, IReadOnlyList<string> Types, int Max, int LeaseSeconds, int WaitSeconds);

internal sealed record HeartbeatBody(string LeaseToken, int LeaseSeconds);

internal sealed record CompleteBody(string LeaseToken, JsonElement? Result);

internal sealed record FailBody(string LeaseToken, string Error, bool Retryable, int? RetryAfterSeconds);

internal sealed record ProgressBody(double Progress, string? Message);

internal sealed record EventBody(string Type, string Message, double? Progress);

internal sealed record ToolStartBody(string ToolName, JsonElement? Arguments);

internal sealed record ToolCompleteBody(JsonElement? Output);

internal sealed record ToolFailBody(string Error);
