using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Api.Caching;
using TaxiAspire.Api.Validation;
using TaxiAspire.Api.Windows;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/windows</c>: hopping-window aggregates per vendor with their averages and the model's error.</summary>
internal static class WindowEndpoints
{
    public const int DefaultLimit = 288;
    public const int MaxLimit = 5_000;

    // Without a range the newest windows are wanted; these bounds let one query shape serve both cases.
    private static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapWindowEndpoints(this IEndpointRouteBuilder app)
    {
        var windows = app.MapGroup("/api/windows").WithTags("Windows");
        windows.MapGet("", GetWindows)
            .WithName("GetWindows")
            .WithSummary("Hopping windows, newest first")
            .WithDescription(
                "Filters: vendor (id), from/to (ISO 8601 window start, [from, to)), limit. Averages are per trip; model_mae is the mean " +
                "absolute error of the scored trips. Served from a cache of answers per query that is refreshed in the background, so " +
                "an answer may lag the database by up to a second.");
        return app;
    }

    private static async Task<Results<Utf8Json<IReadOnlyList<WindowView>>, ValidationProblem>> GetWindows(
        WindowResponseCache responses,
        CancellationToken cancellationToken,
        string? vendor = null,
        string? from = null,
        string? to = null,
        string? limit = null)
    {
        // Validation comes first: only well-formed, normalised queries reach the cache.
        var errors = new ParameterErrors();
        var vendorId = errors.OptionalInt("vendor", vendor, 1, short.MaxValue);
        var start = errors.OptionalInstant("from", from);
        var end = errors.OptionalInstant("to", to);
        var take = errors.Int("limit", limit, DefaultLimit, 1, MaxLimit);
        errors.RequireOrder("from", start, "to", end);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var query = new WindowQuery(vendorId, (start ?? Earliest).ToUniversalTime(), (end ?? Latest).ToUniversalTime(), take);
        return new Utf8Json<IReadOnlyList<WindowView>>(await responses.GetAsync(query, cancellationToken));
    }
}
