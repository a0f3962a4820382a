using TaxiAspire.Api.Monitoring;

namespace TaxiAspire.Api.Caching;

/// <summary>The latest snapshot's stats as JSON, serialized once per snapshot rather than once per request.</summary>
internal sealed class StatsResponseCache(PipelineMonitor monitor, ResponseJsonSerializer json)
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
