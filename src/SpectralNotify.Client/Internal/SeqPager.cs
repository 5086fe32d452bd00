using System.Globalization;
using System.Runtime.CompilerServices;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Internal;

/// <summary>Pages through a history by seq: each page's <c>next</c> is the <c>after</c> of the following one.</summary>
internal static class SeqPager
{
    public static async IAsyncEnumerable<T> AllAsync<T>(Func<long?, CancellationToken, Task<Page<T>>> page, long? after,
        [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var current = await page(after, ct).ConfigureAwait(false);
            foreach (var item in current.Data)
            {
                yield return item;
            }
            if (current.Next is null)
            {
                yield break;
            }
            after = long.Parse(current.Next, NumberStyles.None, CultureInfo.InvariantCulture);
        }
    }
}
