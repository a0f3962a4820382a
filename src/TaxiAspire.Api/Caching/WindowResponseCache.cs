using TaxiAspire.Api.Windows;

namespace TaxiAspire.Api.Caching;

/// <summary>
/// <c>/api/windows</c> responses, serialized once and at most <see cref="MaxAge"/> old: windows change at most once per
/// processor batch, so pollers are kept off the database and off the serializer.
/// </summary>
internal sealed class WindowResponseCache(WindowQueries queries, ResponseJsonSerializer json, TimeProvider timeProvider)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    // 288 windows are ~70 KB of JSON; the budget keeps a few hundred distinct queries, the rest are read through.
    private const long ByteBudget = 32L * 1024 * 1024;

    private readonly RefreshAheadCache<WindowQuery> _cache = new(timeProvider, MaxAge, ByteBudget);
    private Func<WindowQuery, CancellationToken, Task<byte[]>>? _read;

    public ValueTask<ReadOnlyMemory<byte>> GetAsync(WindowQuery query, CancellationToken cancellationToken) =>
        _cache.GetAsync(query, _read ??= ReadAsync, cancellationToken);

    private async Task<byte[]> ReadAsync(WindowQuery query, CancellationToken cancellationToken) =>
        json.Serialize(await queries.WindowsAsync(query.VendorId, query.From, query.To, query.Limit, cancellationToken));
}
