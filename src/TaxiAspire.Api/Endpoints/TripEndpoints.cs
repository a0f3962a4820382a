using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Api.Trips;
using TaxiAspire.Api.Validation;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/trips</c>: the stored trips, newest first, filtered and paged by keyset.</summary>
internal static class TripEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1_000;
    public const string NextCursorHeader = "X-Next-Cursor";

    public static IEndpointRouteBuilder MapTripEndpoints(this IEndpointRouteBuilder app)
    {
        var trips = app.MapGroup("/api/trips").WithTags("Trips");
        trips.MapGet("", SearchTrips)
            .WithName("SearchTrips")
            .WithSummary("Stored trips, newest first")
            .WithDescription(
                "Filters: vendor (id), from/to (ISO 8601 pickup time, [from, to)), anomaly (true/false). " +
                $"Paging: pass the {NextCursorHeader} response header (also in the Link header) as before= to get the next, older page.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<TripView>>, ValidationProblem>> SearchTrips(
        HttpContext http,
        TripQueries queries,
        CancellationToken cancellationToken,
        string? limit = null,
        string? vendor = null,
        string? from = null,
        string? to = null,
        string? anomaly = null,
        string? before = null)
    {
        var errors = new ParameterErrors();
        var search = new TripSearch(
            errors.Int("limit", limit, DefaultLimit, 1, MaxLimit),
            errors.OptionalInt("vendor", vendor, 1, short.MaxValue),
            errors.OptionalInstant("from", from),
            errors.OptionalInstant("to", to),
            errors.OptionalBool("anomaly", anomaly),
            errors.OptionalLong("before", before, 1));
        errors.RequireOrder("from", search.From, "to", search.To);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = await queries.SearchAsync(search, cancellationToken);
        if (page.NextCursor is { } cursor)
        {
            var next = cursor.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers[NextCursorHeader] = next;
            var query = QueryString.Create(http.Request.Query
                .Where(p => p.Key != "before")
                .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v)))
                .Append(KeyValuePair.Create("before", (string?)next)));
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{query}>; rel=\"next\"";
        }

        return TypedResults.Ok(page.Trips);
    }
}
