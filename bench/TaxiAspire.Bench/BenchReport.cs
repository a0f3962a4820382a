using System.Text.Json.Serialization;

namespace TaxiAspire.Bench;

/// <summary>
/// The benchmark's one JSON object: the processor's figures, the ceilings beside them, and the targets. StartupSeconds
/// runs from starting the processor process to its first batch transaction (part of the end-to-end wall time).
/// LatencyCheckpoints counts the PostgreSQL checkpoints that ran during the latency phase: one flushes the earlier
/// phases' dirty pages while the trips are committing, which shows in the p99.
/// </summary>
internal sealed record BenchReport(
    long Trips,
    int Partitions,
    int Replicas,
    int BacklogLingerMs,
    double EndToEndTripsPerSecond,
    double EndToEndWallSeconds,
    double StartupSeconds,
    double SteadyTripsPerSecond,
    double LatencyRateTripsPerSecond,
    long LatencySamples,
    double LatencyP50Ms,
    double LatencyP99Ms,
    bool LatencyScored,
    long LatencyCheckpoints,
    double PeakProcessorMemoryMb,
    double RawConsumeTripsPerSecond,
    double RawCopyTripsPerSecond,
    double NaiveInsertTripsPerSecond,
    double SpeedupOverNaive,
    ScoringCost? Scoring,
    BenchTargets Targets);

/// <summary>
/// The same end-to-end run with the champion scoring every batch; the cost is the throughput given up, end to end (the
/// target's measure: it includes loading the model and warming ML.NET up) and between first and last batch commit.
/// </summary>
internal sealed record ScoringCost(double EndToEndTripsPerSecond, double SteadyTripsPerSecond, double ScoredShare, double CostPercent, double SteadyCostPercent);

internal sealed record BenchTargets(bool Unscored60k, bool? Scored50k, bool TenTimesNaive, bool P99Under100Ms, bool MemoryUnder300Mb, bool? ScoringCostUnder15Percent);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
