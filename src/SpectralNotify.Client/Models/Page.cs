namespace SpectralNotify.Client.Models;

/// <summary>
/// A list answer, <c>{"data": [...], "next": … | null}</c>. <see cref="Next"/> is what to send for the
/// next page (a list <c>cursor</c>, or the <c>after</c> seq of a history) and null on the last page.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record Page<T>
{
    /// <summary>The items of this page, in the route's order.</summary>
    public IReadOnlyList<T> Data { get; init; } = [];

    /// <summary>Where the next page starts, or null when this is the last one.</summary>
    public string? Next { get; init; }
}
