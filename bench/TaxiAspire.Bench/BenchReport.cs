using System.Text.Json.Serialization;

namespace TaxiAspire.Bench;

/// <summary>The benchmark's one JSON object: the processor's figures, the ceilings beside them, and the targets.</summary>
internal sealed record BenchReport(
    long Trips,
    int Partitions,
    double EndToEndTripsPerSecond,
    double EndToEndWallSeconds,
    double SteadyTripsPerSecond,
    double LatencyRateTripsPerSecond,
    long LatencySamples,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double PeakProcessorMemoryMb,
    double RawConsumeTripsPerSecond,
    double RawCopyTripsPerSecond,
    double NaiveInsertTripsPerSecond,
    double SpeedupOverNaive,
    BenchTargets Targets);

internal sealed record BenchTargets(bool Throughput50k, bool TenTimesNaive, bool P99Under250Ms, bool MemoryUnder300Mb);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
