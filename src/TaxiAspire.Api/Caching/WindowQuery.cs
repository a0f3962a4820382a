namespace TaxiAspire.Api.Caching;

/// <summary>One validated <c>/api/windows</c> query, normalised (UTC bounds, defaults filled in): the cache key.</summary>
internal readonly record struct WindowQuery(int? VendorId, DateTimeOffset From, DateTimeOffset To, int Limit);
