using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaxiAspire.ModelRegistry.Local;
using TaxiAspire.Trainer.Training;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trainer;

/// <summary>
/// The trainer's one-shot commands:
/// <list type="bullet">
/// <item><c>accuracy --test FILE (--train FILE | --taxidb CONNECTION)</c>: train on the file or on taxidb's trips and
/// print R², RMSE and MAE on the test file (fares $1–150, as the ML.NET sample filters).</item>
/// <item><c>train-file FILE --registry FOLDER</c>: a full training run (time-ordered holdout, register, promote) from a file.</item>
/// </list>
/// Learner settings: <c>--algorithm LightGbm+FastTree|LightGbm|FastTree --iterations N --leaves N --min-leaf N --learning-rate X</c>.
/// </summary>
internal static class TrainerCommands
{
    public static bool IsCommand(string verb) => verb is "accuracy" or "train-file";

    public static async Task<int> RunAsync(string[] args)
    {
        var (positional, named) = Parse(args.Skip(1));
        var options = LearnerOptions(named);
        var trainer = new FareModelTrainer(options);
        try
        {
            return args[0] == "accuracy"
                ? await AccuracyAsync(trainer, options, named)
                : await TrainFileAsync(trainer, positional, named);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or NpgsqlException or FormatException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    }

    private static async Task<int> AccuracyAsync(FareModelTrainer trainer, FareTrainingOptions options, Dictionary<string, string> named)
    {
        var test = await TaxiFareCsv.ReadAsync(Required(named, "test"), CancellationToken.None);
        List<FareModelInput> training;
        string source;
        if (named.TryGetValue("taxidb", out var connection))
        {
            await using var dataSource = NpgsqlDataSource.Create(connection);
            training = await new TrainingDataStore(dataSource).LoadAsync(int.MaxValue, CancellationToken.None);
            source = $"taxidb ({training.Count} trips)";
        }
        else
        {
            var file = Required(named, "train");
            training = await TaxiFareCsv.ReadAsync(file, CancellationToken.None);
            source = $"{Path.GetFileName(file)} ({training.Count} rows)";
        }

        var clock = Stopwatch.StartNew();
        var model = trainer.Train(training);
        var metrics = trainer.Evaluate(model.Model, test);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Algorithm} trained on {source} in {clock.Elapsed.TotalSeconds:F1} s; test fares ${options.MinFare}-{options.MaxFare} ({metrics.Count} trips): R² {metrics.RSquared:F4}  RMSE {metrics.Rmse:F3}  MAE {metrics.Mae:F4}"));
        Console.WriteLine(string.Join(' ', model.Parameters.Select(p => $"{p.Key}={p.Value}")));
        return 0;
    }

    private static async Task<int> TrainFileAsync(FareModelTrainer trainer, List<string> positional, Dictionary<string, string> named)
    {
        if (positional.Count != 1)
        {
            throw new ArgumentException("usage: train-file FILE --registry FOLDER");
        }

        var rows = await TaxiFareCsv.ReadAsync(positional[0], CancellationToken.None);
        var registry = new LocalFolderModelRegistry(Required(named, "registry"), TimeProvider.System);
        var run = new TrainingRun(trainer, registry, new TrainerOptions(), "taxi-fare", TimeProvider.System, NullLogger.Instance);
        var outcome = await run.ExecuteAsync(rows, "train-file", Path.GetFileName(positional[0]), CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Status}: version {outcome.Version}, holdout MAE {outcome.Metrics?.Mae:F4}, R² {outcome.Metrics?.RSquared:F4}; champion before {outcome.ChampionVersion ?? "none"} (MAE {outcome.ChampionMetrics?.Mae:F4}); promoted {outcome.Promoted}"));
        return outcome.Status == TrainingStatus.Registered ? 0 : 1;
    }

    private static FareTrainingOptions LearnerOptions(Dictionary<string, string> named)
    {
        var options = new FareTrainingOptions();
        if (named.TryGetValue("algorithm", out var algorithm)) options.Algorithm = algorithm;
        if (named.TryGetValue("iterations", out var iterations)) options.Iterations = int.Parse(iterations, CultureInfo.InvariantCulture);
        if (named.TryGetValue("leaves", out var leaves)) options.Leaves = int.Parse(leaves, CultureInfo.InvariantCulture);
        if (named.TryGetValue("min-leaf", out var minLeaf)) options.MinExamplesPerLeaf = int.Parse(minLeaf, CultureInfo.InvariantCulture);
        if (named.TryGetValue("learning-rate", out var rate)) options.LearningRate = double.Parse(rate, CultureInfo.InvariantCulture);
        return options;
    }

    private static (List<string> Positional, Dictionary<string, string> Named) Parse(IEnumerable<string> args)
    {
        var positional = new List<string>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            if (e.Current.StartsWith("--", StringComparison.Ordinal))
            {
                var name = e.Current[2..];
                named[name] = e.MoveNext() ? e.Current : throw new ArgumentException($"--{name} needs a value.");
            }
            else
            {
                positional.Add(e.Current);
            }
        }

        return (positional, named);
    }

    private static string Required(Dictionary<string, string> named, string name) =>
        named.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");
}
