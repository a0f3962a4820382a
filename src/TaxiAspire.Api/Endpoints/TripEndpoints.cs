using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Data.Queries;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/trips</c> and <c>/api/stats</c>: what the pipeline has stored.</summary>
internal static class TripEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1_000;

    public static RouteGroupBuilder MapTripEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/trips", GetLatestTrips).WithName("GetLatestTrips");
        group.MapGet("/stats", GetStats).WithName("GetStats");
        return group;
    }

    /// <summary>The most recently stored trips, newest first.</summary>
    private static async Task<Results<Ok<IReadOnlyList<TripView>>, ValidationProblem>> GetLatestTrips(
        TripQueries queries, CancellationToken cancellationToken, int? limit = null)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"limit must be between 1 and {MaxLimit}."],
            });
        }

        return TypedResults.Ok(await queries.LatestTripsAsync(take, cancellationToken));
    }

    private static async Task<Ok<PipelineStats>> GetStats(TripQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.StatsAsync(cancellationToken));
}
