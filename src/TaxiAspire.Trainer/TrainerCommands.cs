using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TaxiAspire.ModelRegistry.Local;
using TaxiAspire.Trainer.Promotion;
using TaxiAspire.Trainer.Training;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trainer;

/// <summary>
/// The trainer's one-shot commands, e.g. <c>dotnet run --project src/TaxiAspire.Trainer -- accuracy --train A.csv --test B.csv</c>:
/// <list type="bullet">
/// <item><c>accuracy</c>: train on a file or on taxidb's trips, print R², RMSE and MAE on a test file, beside the median-fare baseline's.</item>
/// <item><c>train-file</c>: a full training run (time-ordered holdout, register, promotion gate) from a file into a local registry folder.</item>
/// </list>
/// Without a command the program is the trainer service.
/// </summary>
internal static class TrainerCommands
{
    public static bool IsCommandLine(string[] args) =>
        args.Length > 0 && args[0] is "accuracy" or "train-file" or "--help" or "-h" or "-?";

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        BuildCommand().Parse(args).InvokeAsync(new InvocationConfiguration(), cancellationToken);

    private static RootCommand BuildCommand()
    {
        var learner = new LearnerOptions();
        var root = new RootCommand("TaxiAspire fare-model trainer: one-shot training commands (without a command it runs as the trainer service).");
        foreach (var option in learner.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(AccuracyCommand(learner));
        root.Subcommands.Add(TrainFileCommand(learner));
        return root;
    }

    private static Command AccuracyCommand(LearnerOptions learner)
    {
        var test = new Option<FileInfo>("--test") { Description = "The test file (ML.NET taxi-fare CSV schema).", Required = true };
        var train = new Option<FileInfo>("--train") { Description = "The training file (same schema)." };
        var taxidb = new Option<string>("--taxidb") { Description = "Train on the trips of this taxidb (an Npgsql connection string) instead of a file." };
        test.AcceptExistingOnly();
        train.AcceptExistingOnly();
        var command = new Command("accuracy", "Train, then print R², RMSE and MAE on the test file (fares in the learner's range), beside the median-fare baseline's.")
        {
            test, train, taxidb,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetResult(train) is null) == (r.GetResult(taxidb) is null)) r.AddError("Give either --train FILE or --taxidb CONNECTION.");
        });
        command.SetAction((parse, cancellationToken) => RunGuardedAsync(async () =>
        {
            var options = learner.Read(parse);
            var trainer = new FareModelTrainer(options);
            var testRows = await TaxiFareCsv.ReadAsync(parse.GetRequiredValue(test).FullName, cancellationToken);
            List<FareModelInput> training;
            string source;
            if (parse.GetValue(taxidb) is { } connection)
            {
                await using var dataSource = NpgsqlDataSource.Create(connection);
                training = await new TrainingDataStore(dataSource).LoadAsync(int.MaxValue, cancellationToken);
                source = $"taxidb ({training.Count} trips)";
            }
            else
            {
                var file = parse.GetRequiredValue(train);
                training = await TaxiFareCsv.ReadAsync(file.FullName, cancellationToken);
                source = $"{file.Name} ({training.Count} rows)";
            }

            var clock = Stopwatch.StartNew();
            var model = trainer.Train(training);
            var metrics = trainer.Evaluate(model.Model, testRows);
            var inRange = training.Where(trainer.InFareRange).ToList();
            var baseline = MedianFareBaseline.Fit(inRange);
            var baselineMetrics = baseline.Evaluate([.. testRows.Where(trainer.InFareRange)]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{options.Algorithm} trained on {source} in {clock.Elapsed.TotalSeconds:F1} s; test fares ${options.MinFare}-{options.MaxFare} ({metrics.Count} trips): R² {metrics.RSquared:F4}  RMSE {metrics.Rmse:F3}  MAE {metrics.Mae:F4}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"baseline (the training median ${baseline.Fare:F2} for every trip): R² {baselineMetrics.RSquared:F4}  RMSE {baselineMetrics.Rmse:F3}  MAE {baselineMetrics.Mae:F4}"));
            Console.WriteLine(string.Join(' ', model.Parameters.Select(p => $"{p.Key}={p.Value}")));
            return 0;
        }));
        return command;
    }

    private static Command TrainFileCommand(LearnerOptions learner)
    {
        var file = new Argument<FileInfo>("file") { Description = "The trips, oldest first (ML.NET taxi-fare CSV schema): the newest share is the holdout." };
        file.AcceptExistingOnly();
        var registry = new Option<DirectoryInfo>("--registry") { Description = "The local registry folder to register the version in (created if missing).", Required = true };
        var command = new Command("train-file", "A full training run from a file: holdout, register, and promote only through the promotion gate (default settings).")
        {
            file, registry,
        };
        command.SetAction((parse, cancellationToken) => RunGuardedAsync(async () =>
        {
            var trips = parse.GetRequiredValue(file);
            var rows = await TaxiFareCsv.ReadAsync(trips.FullName, cancellationToken);
            var trainer = new FareModelTrainer(learner.Read(parse));
            var run = new TrainingRun(
                trainer,
                new LocalFolderModelRegistry(parse.GetRequiredValue(registry).FullName, TimeProvider.System),
                new TrainingPolicyOptions(),
                new PromotionGate(Options.Create(new PromotionGateOptions())),
                "taxi-fare",
                TimeProvider.System,
                NullLogger.Instance);
            var outcome = await run.ExecuteAsync(rows, "train-file", trips.Name, cancellationToken);
            Console.WriteLine(outcome.Status == TrainingStatus.Registered
                ? string.Create(CultureInfo.InvariantCulture,
                    $"version {outcome.Version} registered, {(outcome.Promoted ? "promoted" : "refused")}: {outcome.Detail}; holdout MAE {outcome.Metrics?.Mae:F4}, R² {outcome.Metrics?.RSquared:F4}; baseline MAE {outcome.BaselineMetrics?.Mae:F4}; champion before: {outcome.ChampionVersion ?? "none"}")
                : $"{outcome.Status}: {outcome.Detail}");
            return outcome.Status == TrainingStatus.Registered ? 0 : 1;
        }));
        return command;
    }

    // Bad input (a malformed file, an unreachable database, an invalid setting) is a message and exit code 2, not a stack trace.
    private static async Task<int> RunGuardedAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NpgsqlException or FormatException or ValidationException or ArgumentException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    }

    /// <summary>The learner's settings on the command line; unset ones keep <see cref="FareLearnerOptions"/>' defaults.</summary>
    private sealed class LearnerOptions
    {
        private readonly Option<string> _algorithm = new("--algorithm") { Description = $"LightGbm, FastTree or {FareLearnerOptions.Ensemble} (default)." , Recursive = true };
        private readonly Option<int?> _iterations = new("--iterations") { Description = "Boosting iterations (trees) per learner.", Recursive = true };
        private readonly Option<int?> _leaves = new("--leaves") { Description = "Leaves per tree.", Recursive = true };
        private readonly Option<int?> _minLeaf = new("--min-leaf") { Description = "Fewest training rows in a leaf.", Recursive = true };
        private readonly Option<double?> _learningRate = new("--learning-rate") { Description = "Learning rate.", Recursive = true };

        public IEnumerable<Option> All => [_algorithm, _iterations, _leaves, _minLeaf, _learningRate];

        /// <summary>The settings, validated by the same rules as the service's <c>Trainer:Model</c> section.</summary>
        public FareLearnerOptions Read(ParseResult parse)
        {
            var options = new FareLearnerOptions();
            if (parse.GetValue(_algorithm) is { } algorithm) options.Algorithm = algorithm;
            if (parse.GetValue(_iterations) is { } iterations) options.Iterations = iterations;
            if (parse.GetValue(_leaves) is { } leaves) options.Leaves = leaves;
            if (parse.GetValue(_minLeaf) is { } minLeaf) options.MinExamplesPerLeaf = minLeaf;
            if (parse.GetValue(_learningRate) is { } rate) options.LearningRate = rate;
            Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
            return options;
        }
    }
}
