namespace SpectralNotify.Server.Api.V1;

/// <summary>Size limits of the v1 API. Each violation is a 400 (413 for the body) naming the field and the limit.</summary>
public static class Limits
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxIdLength = 200;
    public const int MaxJsonObjectBytes = 64 * 1024;
    public const int MaxMessageBytes = 8 * 1024;
    public const int MaxTitleLength = 500;
    public const int MaxTypeLength = 100;
    public const int MaxPathLength = 1024;
    /// <summary>
    /// Operations per <c>POST /api/v1/tasks/batch</c>, one transaction that holds the SQLite writer:
    /// 1,000 took 100 to 660 ms of writer time on a loaded 2-core machine, 250 took 7 to 250 ms.
    /// </summary>
    public const int MaxBatchOperations = 250;
    public const int MaxPageSize = 500;
    public const int MaxIdempotencyKeyLength = 255;
}
