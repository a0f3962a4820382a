using TaxiAspire.Api.Caching;
using TaxiAspire.Api.Stats;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/stats</c>: totals, throughput, rejects by reason and consumer lag.</summary>
internal static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder app)
    {
        var stats = app.MapGroup("/api/stats").WithTags("Stats");
        stats.MapGet("", GetStats)
            .WithName("GetStats")
            .WithSummary("Pipeline totals, trips/s over the last minute, rejects by reason, consumer lag per partition")
            .WithDescription("Served from a snapshot read once a second (as_of tells when), so it may lag the database by up to a second. lag is null when the API cannot ask Kafka.");
        return app;
    }

    private static async Task<Utf8Json<PipelineStats>> GetStats(StatsResponseCache responses, CancellationToken cancellationToken) =>
        new(await responses.GetAsync(cancellationToken));
}
