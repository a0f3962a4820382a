// The pipeline benchmark: end-to-end trips/s of the stream processor (a child process, as deployed) over 1,000,000
// trips, p50/p99 latency at a steady 5,000 trips/s (with scoring on when a registry is given), the processor's peak memory, and in the same run, on the same
// rows, the ceilings: raw consume rate, raw binary COPY rate, and a naive one-INSERT-per-message consumer.
// With --scoring-registry FOLDER (a local model registry holding a champion, e.g. from the trainer's train-file
// command) the end-to-end run is repeated on the same rows with scoring on, and the cost of scoring is reported.
// --backlog-linger-ms N sets the backlog producer's linger (default 200; see below).
// --replicas N runs the end-to-end part with N processor processes in one consumer group (default 1): how the same
// backlog goes with the partitions shared (docs/scaling.md).
// Prints one JSON object. Usage: TaxiAspire.Bench [trips=1000000] [steady rate=5000] [steady seconds=20] [--scoring-registry FOLDER] [--backlog-linger-ms N] [--replicas N]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using TaxiAspire.Bench;
using TaxiAspire.BenchKit;
using TaxiAspire.Trips.Windows;

var scoringRegistry = Option("--scoring-registry") is { } registryPath ? Path.GetFullPath(registryPath) : null;
var backlogLingerMs = Option("--backlog-linger-ms") is { } linger ? int.Parse(linger, CultureInfo.InvariantCulture) : 200;
var replicas = Option("--replicas") is { } replicaText ? int.Parse(replicaText, CultureInfo.InvariantCulture) : 1;
var numbers = args.TakeWhile(arg => !arg.StartsWith("--", StringComparison.Ordinal)).ToArray();
var trips = numbers.Length > 0 ? long.Parse(numbers[0], CultureInfo.InvariantCulture) : 1_000_000;
var steadyRate = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 5_000;
var steadySeconds = numbers.Length > 2 ? int.Parse(numbers[2], CultureInfo.InvariantCulture) : 20;
if (scoringRegistry is not null && !Directory.Exists(scoringRegistry))
{
    Console.Error.WriteLine($"--scoring-registry {scoringRegistry} does not exist. Create one with: dotnet run --project src/TaxiAspire.Trainer -- train-file <taxi-fare-train.csv> --registry {scoringRegistry}");
    return 2;
}

// ~330 bytes a trip and ~5 MiB kept per mock partition: 128 partitions keep 1M trips with room to spare.
var partitions = (int)Math.Max(12, Math.Min(256, trips / 7_800 + 1));
const string Topic = "taxi_trips";
const string SteadyTopic = "taxi_trips_steady";
const int SteadyPartitions = 12;

await using var env = await BenchEnvironment.StartAsync(fsync: true);
env.Kafka.CreateTopic(Topic, partitions);
env.Kafka.CreateTopic(SteadyTopic, SteadyPartitions);
env.Kafka.CreateTopic("taxi_trips_dlq", 3);
env.Kafka.CreateTopic("taxi_trip_windows", 3);
await using var dataSource = NpgsqlDataSource.Create(env.DatabaseConnectionString);
var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
var bulk = new TripMessages("bulk", DirtyEvery: 100, FirstPickup: new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Unspecified));

Console.Error.WriteLine($"producing {trips} trips into {partitions} partitions");
// The mock cluster answers a fetch with one producer batch per partition where a real broker sends up to
// max.partition.fetch.bytes, so the backlog is produced in big batches (200 ms linger, as under heavy load): with
// 5 ms batches of ~10 trips the mock's fetch path, not the processor, set the pace (raw consume 85k vs 137k trips/s).
using (var producer = TripMessages.CreateProducer(env.Kafka.BootstrapServers, backlogLingerMs))
{
    bulk.ProduceRange(producer, Topic, 0, trips);
}

Console.Error.WriteLine("ceiling: raw consume");
var rawConsume = Ceilings.RawConsume(env.Kafka.BootstrapServers, Topic, partitions, trips);
Console.Error.WriteLine("ceiling: raw COPY");
var rawCopy = await Ceilings.RawCopyAsync(dataSource, bulk, trips);

Console.Error.WriteLine("processor: end to end");
var settings = new Dictionary<string, string> { ["Trips__FutureTolerance"] = "30.00:00:00", ["StreamProcessor__Topic"] = Topic };
var started = DateTimeOffset.UtcNow;
var (wallSeconds, peakMemory) = await RunToTheEndAsync(env, audit, settings, "stream-processor", trips, replicas);
var steady = await StoredSpanRateAsync(dataSource);
var startupSeconds = await FirstCommitAsync(dataSource) is { } firstCommit ? (firstCommit - started).TotalSeconds : double.NaN;

ScoringCost? scoring = null;
if (scoringRegistry is not null)
{
    Console.Error.WriteLine("processor: end to end with scoring");
    await ClearResultsAsync(dataSource);
    var scoredSettings = new Dictionary<string, string>(settings)
    {
        ["StreamProcessor__ConsumerGroup"] = "stream-processor-scored",
        ["ConnectionStrings__mlflow"] = scoringRegistry,
    };
    var (scoredWall, scoredPeak) = await RunToTheEndAsync(env, audit, scoredSettings, "stream-processor-scored", trips, replicas);
    peakMemory = Math.Max(peakMemory, scoredPeak);
    var scoredRate = trips / scoredWall;
    var scoredSteady = await StoredSpanRateAsync(dataSource);
    scoring = new ScoringCost(
        EndToEndTripsPerSecond: Math.Round(scoredRate),
        SteadyTripsPerSecond: Math.Round(scoredSteady),
        ScoredShare: Math.Round(await ScoredShareAsync(dataSource), 4),
        CostPercent: Math.Round(100 * (1 - scoredRate / (trips / wallSeconds)), 1),
        SteadyCostPercent: Math.Round(100 * (1 - scoredSteady / steady), 1));
}

Console.Error.WriteLine("ceiling: naive consumer");
var naive = Ceilings.NaiveInsert(env.Kafka.BootstrapServers, Topic, dataSource, TimeSpan.FromSeconds(15));

Console.Error.WriteLine($"latency at {steadyRate} trips/s");
var steadyMessages = new TripMessages("steady", DirtyEvery: 0, FirstPickup: new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Unspecified));
var steadySettings = new Dictionary<string, string>
{
    ["Trips__FutureTolerance"] = "30.00:00:00",
    ["StreamProcessor__Topic"] = SteadyTopic,
    ["StreamProcessor__ConsumerGroup"] = "steady",
};
if (scoringRegistry is not null)
{
    // The latency target holds with every trip scored, as users run the processor.
    steadySettings["ConnectionStrings__mlflow"] = scoringRegistry;
}

LatencyResult latency;
var checkpointsBefore = await CheckpointsAsync(dataSource);
using (var processor = ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, steadySettings))
{
    latency = await SteadyLatency.MeasureAsync(env.Kafka.BootstrapServers, SteadyTopic, SteadyPartitions, steadyMessages, dataSource, steadyRate, TimeSpan.FromSeconds(steadySeconds));
    peakMemory = Math.Max(peakMemory, processor.PeakResidentBytes());
    await processor.KillAsync();
}

var latencyCheckpoints = await CheckpointsAsync(dataSource) - checkpointsBefore;

var endToEnd = trips / wallSeconds;
var report = new BenchReport(
    Trips: trips,
    Partitions: partitions,
    Replicas: replicas,
    BacklogLingerMs: backlogLingerMs,
    EndToEndTripsPerSecond: Math.Round(endToEnd),
    EndToEndWallSeconds: Math.Round(wallSeconds, 2),
    StartupSeconds: Math.Round(startupSeconds, 2),
    SteadyTripsPerSecond: Math.Round(steady),
    LatencyRateTripsPerSecond: Math.Round(latency.AchievedRate),
    LatencySamples: latency.Samples,
    LatencyP50Ms: Math.Round(latency.P50Ms, 1),
    LatencyP99Ms: Math.Round(latency.P99Ms, 1),
    LatencyScored: scoringRegistry is not null,
    LatencyCheckpoints: latencyCheckpoints,
    PeakProcessorMemoryMb: Math.Round(peakMemory / 1024.0 / 1024.0, 1),
    RawConsumeTripsPerSecond: Math.Round(rawConsume),
    RawCopyTripsPerSecond: Math.Round(rawCopy),
    NaiveInsertTripsPerSecond: Math.Round(naive),
    SpeedupOverNaive: Math.Round(endToEnd / naive, 1),
    Scoring: scoring,
    Targets: new BenchTargets(
        Unscored60k: endToEnd >= 60_000,
        Scored50k: scoring is null ? null : scoring.EndToEndTripsPerSecond >= 50_000,
        TenTimesNaive: endToEnd >= 10 * naive,
        P99Under100Ms: latency.P99Ms <= 100,
        MemoryUnder300Mb: peakMemory <= 300L * 1024 * 1024,
        ScoringCostUnder15Percent: scoring is null ? null : scoring.CostPercent <= 15));
Console.WriteLine(JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport));
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

// N processors (one consumer group) from an empty start until their stored offsets cover every message: wall
// seconds and the largest peak memory of one of them.
static async Task<(double WallSeconds, long PeakMemory)> RunToTheEndAsync(
    BenchEnvironment env, PipelineAudit audit, Dictionary<string, string> settings, string group, long trips, int replicas)
{
    var wall = Stopwatch.StartNew();
    var processors = Enumerable.Range(0, replicas)
        .Select(_ => ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, settings))
        .ToList();
    try
    {
        var peak = await WaitForOffsetsAsync(audit, group, settings["StreamProcessor__Topic"], trips, processors);
        return (wall.Elapsed.TotalSeconds, peak);
    }
    finally
    {
        foreach (var processor in processors)
        {
            await processor.KillAsync();
            processor.Dispose();
        }
    }
}

// Empties what the processor wrote, so a second run over the same rows starts from the same empty tables.
static async Task ClearResultsAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand(
        "TRUNCATE trips, trip_windows, rejected_messages, consumer_offsets, window_publications");
    await command.ExecuteNonQueryAsync();
}

// Checkpoints so far, requested (WAL volume) or timed.
static async Task<long> CheckpointsAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter");
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task<double> ScoredShareAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand("SELECT avg((prediction IS NOT NULL)::int)::float8 FROM trips");
    return await command.ExecuteScalarAsync() is double share ? share : 0;
}

// Polls the stored offsets until they cover every message, sampling the children's peak memory meanwhile.
static async Task<long> WaitForOffsetsAsync(PipelineAudit audit, string group, string topic, long expected, List<ProcessorProcess> processors)
{
    long Peak() => processors.Max(p => p.PeakResidentBytes());
    long peak = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromMinutes(10))
    {
        peak = Math.Max(peak, Peak());
        if (await audit.StoredOffsetTotalAsync(group, topic, CancellationToken.None) >= expected) break;
        if (processors.Any(p => p.HasExited)) throw new InvalidOperationException("A processor exited.");
        await Task.Delay(50);
    }

    return Math.Max(peak, Peak());
}

// When the first batch transaction of the run began (stored_at is the transaction's start).
static async Task<DateTimeOffset?> FirstCommitAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand("SELECT min(stored_at) FROM trips WHERE trip_id LIKE 'bulk-%'");
    return await command.ExecuteScalarAsync() is DateTime first ? new DateTimeOffset(first, TimeSpan.Zero) : null;
}

// Trips over the span between the first and the last batch transaction: the rate once the group has formed.
static async Task<double> StoredSpanRateAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand(
        "SELECT count(*), extract(epoch FROM max(stored_at) - min(stored_at))::float8 FROM trips WHERE trip_id LIKE 'bulk-%'");
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    var seconds = reader.IsDBNull(1) ? 0 : reader.GetDouble(1);
    return seconds > 0 ? reader.GetInt64(0) / seconds : 0;
}
