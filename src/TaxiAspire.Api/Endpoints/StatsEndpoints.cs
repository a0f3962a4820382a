using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Api.Monitoring;
using TaxiAspire.Data.Queries;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/stats</c>: totals, throughput, rejects by reason and consumer lag.</summary>
internal static class StatsEndpoints
{
    public static RouteGroupBuilder MapStatsEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/stats", GetStats)
            .WithName("GetStats")
            .WithTags("Stats")
            .WithSummary("Pipeline totals, trips/s over the last minute, rejects by reason, consumer lag per partition")
            .WithDescription("Served from a snapshot read once a second (as_of tells when), so it may lag the database by up to a second. lag is null when the API cannot ask Kafka.");
        return group;
    }

    private static async Task<Ok<PipelineStats>> GetStats(PipelineMonitor monitor, CancellationToken cancellationToken) =>
        TypedResults.Ok((await monitor.GetLatestAsync(cancellationToken)).Stats);
}
