// Issue 5, item 6 ("accuracy on real trips") in one command: replays taxi-fare-train.csv with the producer (child
// process) into a local mock Kafka cluster, lets the stream processor (child process) validate and store the trips in
// a throwaway taxidb, trains the fare model from taxidb exactly as the trainer does, and prints R², RMSE and MAE on
// taxi-fare-test.csv (fares $1–150). The CSV has no timestamps: replay synthesises pickups one second apart, so only
// the separate test file measures accuracy here.
// Usage: TaxiAspire.AccuracyBench [train.csv] [test.csv] [--algorithm A --iterations N ...  (as the trainer's accuracy verb)]
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using TaxiAspire.BenchKit;
using TaxiAspire.Trainer.Promotion;
using TaxiAspire.Trainer.Training;

const string Topic = "taxi_trips";
const string ConsumerGroup = "stream-processor";
var sample = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/nyc-taxi-sample"));
var trainFile = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? Path.GetFullPath(args[0]) : Path.Combine(sample, "taxi-fare-train.csv");
var testFile = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? Path.GetFullPath(args[1]) : Path.Combine(sample, "taxi-fare-test.csv");
var options = LearnerOptions(args);
var rows = File.ReadLines(trainFile).Skip(1).LongCount(l => l.Length > 0);

var total = Stopwatch.StartNew();
await using var env = await BenchEnvironment.StartAsync(fsync: false);
// The mock keeps ~5 MiB a partition; 32 partitions hold the 100,000 rows (~330 bytes each) with room to spare.
env.Kafka.CreateTopic(Topic, 32);
env.Kafka.CreateTopic("taxi_trips_dlq", 3);
env.Kafka.CreateTopic("taxi_trip_windows", 3);
await using var dataSource = NpgsqlDataSource.Create(env.DatabaseConnectionString);
var audit = new PipelineAudit(dataSource, TaxiAspire.Trips.Windows.HoppingWindows.Default);

Console.Error.WriteLine($"replaying {rows} rows of {trainFile}");
using (var processor = ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, new Dictionary<string, string>()))
{
    var replay = await RunProducerAsync(env.Kafka.BootstrapServers, trainFile);
    if (replay != 0)
    {
        throw new InvalidOperationException($"The producer replay exited with {replay}.");
    }

    // Every row is one message; the processor has handled them all (stored or dead-lettered) once its committed
    // offsets, which it writes in the same transaction as the trips, cover them.
    var wait = Stopwatch.StartNew();
    while (await audit.StoredOffsetTotalAsync(ConsumerGroup, Topic, CancellationToken.None) < rows)
    {
        if (processor.HasExited) throw new InvalidOperationException("The processor exited.");
        if (wait.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("The processor did not store the replay within 10 minutes.");
        await Task.Delay(200);
    }

    await processor.KillAsync();
}

var pipelineSeconds = total.Elapsed.TotalSeconds;
var store = new TrainingDataStore(dataSource);
var stored = await store.CountAsync(CancellationToken.None);
var training = await store.LoadAsync(int.MaxValue, CancellationToken.None);
var test = await TaxiFareCsv.ReadAsync(testFile, CancellationToken.None);
var trainer = new FareModelTrainer(options);
var clock = Stopwatch.StartNew();
var model = trainer.Train(training);
var metrics = trainer.Evaluate(model.Model, test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"pipeline: {rows} rows replayed, {stored} trips stored in taxidb ({rows - stored} rejected) in {pipelineSeconds:F0} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{options.Algorithm} trained on taxidb ({training.Count} trips) in {clock.Elapsed.TotalSeconds:F1} s; test fares ${options.MinFare}-{options.MaxFare} ({metrics.Count} trips): R² {metrics.RSquared:F4}  RMSE {metrics.Rmse:F3}  MAE {metrics.Mae:F4}"));
// The promotion gate's baseline on the same test trips: the figure a model must beat by Trainer:Promotion's margin.
var baseline = MedianFareBaseline.Fit([.. training.Where(trainer.InFareRange)]);
var baselineMetrics = baseline.Evaluate([.. test.Where(trainer.InFareRange)]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"baseline (the training median ${baseline.Fare:F2} for every trip): R² {baselineMetrics.RSquared:F4}  RMSE {baselineMetrics.Rmse:F3}  MAE {baselineMetrics.Mae:F4}"));
Console.WriteLine(string.Join(' ', model.Parameters.Select(p => $"{p.Key}={p.Value}")));
return 0;

static async Task<int> RunProducerAsync(string bootstrapServers, string file)
{
    var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TaxiAspire.Producer.dll"), "replay", file, "--bootstrap-servers", bootstrapServers])
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    start.Environment["DOTNET_ENVIRONMENT"] = "Production";
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    using var process = Process.Start(start) ?? throw new InvalidOperationException("The producer did not start.");
    // Drained so the child never blocks on a full pipe; its warnings and summary surface on this process's stderr.
    process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[producer] {e.Data}"); };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[producer] {e.Data}"); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    await process.WaitForExitAsync();
    return process.ExitCode;
}

static FareLearnerOptions LearnerOptions(string[] args)
{
    var options = new FareLearnerOptions();
    for (var i = 0; i + 1 < args.Length; i++)
    {
        var value = args[i + 1];
        switch (args[i])
        {
            case "--algorithm": options.Algorithm = value; break;
            case "--iterations": options.Iterations = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "--leaves": options.Leaves = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "--min-leaf": options.MinExamplesPerLeaf = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "--learning-rate": options.LearningRate = double.Parse(value, CultureInfo.InvariantCulture); break;
        }
    }

    return options;
}
