using TaxiAspire.Api.Caching;
using TaxiAspire.Api.Monitoring;
using TaxiAspire.Api.Stats;

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

    private static async Task<Utf8Json<PipelineStats>> GetStats(StatsAnswer answer, CancellationToken cancellationToken) =>
        new(await answer.GetAsync(cancellationToken));
}

/// <summary>The latest snapshot's stats as JSON, serialized once per snapshot rather than once per request.</summary>
internal sealed class StatsAnswer(PipelineMonitor monitor, JsonAnswers json)
{
    private volatile Serialized? _last;

    public async ValueTask<ReadOnlyMemory<byte>> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = await monitor.GetLatestAsync(cancellationToken);
        if (_last is { } last && ReferenceEquals(last.Snapshot, snapshot))
        {
            return last.Json;
        }

        // Two callers may both serialize a new snapshot; either result is the same.
        var fresh = new Serialized(snapshot, json.Serialize(snapshot.Stats));
        _last = fresh;
        return fresh.Json;
    }

    private sealed record Serialized(PipelineSnapshot Snapshot, byte[] Json);
}
