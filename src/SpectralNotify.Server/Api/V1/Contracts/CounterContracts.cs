namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>POST /api/v1/counters: <c>value</c> defaults to 0.</summary>
public sealed record CreateCounterRequest(string? Name = null, long? Value = null);

/// <summary>POST …/increment and …/decrement: <c>amount</c> defaults to 1 and must be positive.</summary>
public sealed record CounterAmountRequest(long? Amount = null);

/// <summary>POST …/set.</summary>
public sealed record CounterSetRequest(long? Value = null);
