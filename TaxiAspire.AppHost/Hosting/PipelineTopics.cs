namespace TaxiAspire.AppHost.Hosting;

/// <summary>A topic the pipeline needs, with its partition count.</summary>
public sealed record PipelineTopic(string Name, int Partitions);

/// <summary>The topics the pipeline uses, created up front in either mode (auto-creation would give them one partition).</summary>
public static class PipelineTopics
{
    public static IReadOnlyList<PipelineTopic> All { get; } =
    [
        new("taxi_trips", 12),
        new("taxi_trips_dlq", 3),
        new("taxi_trip_windows", 3),
    ];
}
