using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using TaxiAspire.ModelRegistry;
using TaxiAspire.ModelRegistry.Local;
using TaxiAspire.Trainer.Promotion;
using TaxiAspire.Trainer.Training;

namespace TaxiAspire.IntegrationTests.Training;

/// <summary>A training run end to end against the local registry: register, promote only a better model, wait for data.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "taxiaspire-training-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private TrainingRun Run(FareLearnerOptions learner, TrainingPolicyOptions? options = null, ILogger? logger = null, bool automatic = false) =>
        new(new FareModelTrainer(learner), new LocalFolderModelRegistry(_root, TimeProvider.System),
            options ?? new TrainingPolicyOptions { MinTrainingRows = 500 }, new PromotionGate(Options.Create(new PromotionGateOptions())),
            "taxi-fare", TimeProvider.System, logger ?? NullLogger.Instance)
        {
            SkipWhenUnchangedSinceRefused = automatic,
        };

    [Fact]
    public async Task The_first_model_becomes_champion_and_a_worse_one_does_not_replace_it()
    {
        var rows = await TrainingSamples.FirstRowsAsync(3000);

        var first = await Run(TrainingSamples.Quick()).ExecuteAsync(rows, "test", "sample", Ct);
        var worse = await Run(TrainingSamples.Quick(iterations: 1)).ExecuteAsync(rows, "test", "sample", Ct);

        Assert.Equal((TrainingStatus.Registered, "1", true), (first.Status, first.Version, first.Promoted));
        Assert.InRange(first.Metrics!.RSquared, 0.8, 1.0);
        Assert.Equal((TrainingStatus.Registered, "2", false), (worse.Status, worse.Version, worse.Promoted));
        // Both judged on the same holdout: the champion's figures in run 2 are run 1's own.
        Assert.Equal(first.Metrics.Mae, worse.ChampionMetrics!.Mae, 6);
        var registry = new LocalFolderModelRegistry(_root, TimeProvider.System);
        Assert.Equal("1", (await registry.GetByAliasAsync("TaxiFarePrediction", ModelRegistryConventions.ChampionAlias, Ct))!.Version);
        var logged = await registry.GetVersionAsync("TaxiFarePrediction", "2", Ct);
        Assert.Equal(worse.Metrics!.Mae, logged!.Metric("mae"));
        Assert.Equal(first.Metrics.Mae, logged.Metric("champion_mae"));
        Assert.Equal(("promoted", "refused"), ((await registry.GetVersionAsync("TaxiFarePrediction", "1", Ct))!.Tag(PromotionRecord.DecisionTag), logged.Tag(PromotionRecord.DecisionTag)));
        // One iteration learns too little to clear the baseline's margin, so that is the reason given.
        Assert.Contains("does not beat the baseline", logged.Tag(PromotionRecord.ReasonTag), StringComparison.Ordinal);

        // The same settings on the same rows give the same model: good enough for the baseline, but not better than
        // the champion, so it is refused for that.
        var same = await Run(TrainingSamples.Quick()).ExecuteAsync(rows, "test", "sample", Ct);
        Assert.Equal(("3", false), (same.Version, same.Promoted));
        Assert.StartsWith("holdout MAE", same.Detail, StringComparison.Ordinal);
        Assert.Contains("does not beat champion version 1's", same.Detail, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_root, "data_summary.json", SearchOption.AllDirectories), f => f.Contains(logged.RunId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_champion_whose_model_file_is_missing_is_judged_by_the_baseline_alone_with_a_warning_that_says_what_to_do()
    {
        var rows = await TrainingSamples.FirstRowsAsync(3000);
        var first = await Run(TrainingSamples.Quick()).ExecuteAsync(rows, "test", "sample", Ct);
        Assert.True(first.Promoted);
        // The artifact is gone (deleted by hand, a lost artifact store), the version and the alias are still there.
        File.Delete(Path.Combine(_root, "models", "TaxiFarePrediction", "versions", first.Version!, ModelRegistryConventions.ModelFileName));

        var logs = new FakeLogger();
        var next = await Run(TrainingSamples.Quick(), logger: logs).ExecuteAsync(rows, "schedule", "sample", Ct);

        // Not a failed run: registered, and promoted since it beats the baseline (the only bar left).
        Assert.Equal((TrainingStatus.Registered, "2", true), (next.Status, next.Version, next.Promoted));
        Assert.Null(next.ChampionMetrics);
        Assert.Contains("champion version 1 could not be evaluated (its model file is missing from the registry), so the baseline alone was the bar", next.Detail, StringComparison.Ordinal);
        var warning = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("TaxiFarePrediction version 1, has no model file in the registry", warning.Message, StringComparison.Ordinal);
        Assert.Contains("restore its model artifact", warning.Message, StringComparison.Ordinal);
        var registry = new LocalFolderModelRegistry(_root, TimeProvider.System);
        Assert.Equal("2", (await registry.GetByAliasAsync("TaxiFarePrediction", ModelRegistryConventions.ChampionAlias, Ct))!.Version);
    }

    [Fact]
    public async Task An_automatic_run_on_the_inputs_of_the_newest_refused_version_is_not_made_again_but_one_asked_for_is()
    {
        // Fares drawn at random: every version is refused.
        var random = new Random(21);
        var rows = (await TrainingSamples.FirstRowsAsync(2000)).Select(r => r with { FareAmount = (float)Math.Round(3 + (random.NextDouble() * 57), 2) }).ToList();
        var refused = await Run(TrainingSamples.Quick(), automatic: true).ExecuteAsync(rows, "drift", "sample", Ct);
        var again = await Run(TrainingSamples.Quick(), automatic: true).ExecuteAsync(rows, "drift", "sample", Ct);
        var newTrips = await Run(TrainingSamples.Quick(), automatic: true).ExecuteAsync([.. rows, rows[0] with { FareAmount = 7.5f }], "drift", "sample", Ct);
        var asked = await Run(TrainingSamples.Quick()).ExecuteAsync(rows, "on-demand", "sample", Ct);

        Assert.Equal((TrainingStatus.Registered, "1", false), (refused.Status, refused.Version, refused.Promoted));
        Assert.Equal((TrainingStatus.Unchanged, "1"), (again.Status, again.Version));
        Assert.Contains("nothing changed since version 1 was refused", again.Detail, StringComparison.Ordinal);
        Assert.Equal((TrainingStatus.Registered, "2"), (newTrips.Status, newTrips.Version));
        Assert.Equal((TrainingStatus.Registered, "3"), (asked.Status, asked.Version));
        var versions = await new LocalFolderModelRegistry(_root, TimeProvider.System).ListVersionsAsync("TaxiFarePrediction", Ct);
        Assert.Equal(3, versions.Count);
        Assert.Equal(versions[0].Tag(TrainingInputs.Tag), versions[2].Tag(TrainingInputs.Tag));
        Assert.NotEqual(versions[0].Tag(TrainingInputs.Tag), versions[1].Tag(TrainingInputs.Tag));
    }

    [Fact]
    public async Task Too_few_trips_mean_waiting_not_failing()
    {
        var rows = await TrainingSamples.FirstRowsAsync(100);

        var outcome = await Run(TrainingSamples.Quick()).ExecuteAsync(rows, "test", "sample", Ct);

        Assert.Equal(TrainingStatus.NotEnoughData, outcome.Status);
        Assert.False(Directory.Exists(Path.Combine(_root, "models")));
    }

    [Fact]
    public async Task The_holdout_is_the_newest_trips()
    {
        // Newest trips carry a fare the older ones never show: a model trained on the old ones misses them badly.
        var rows = await TrainingSamples.FirstRowsAsync(2000);
        var shifted = rows.Select((r, i) => i >= 1600 ? r with { FareAmount = r.FareAmount + 40 } : r).ToList();

        var outcome = await Run(TrainingSamples.Quick()).ExecuteAsync(shifted, "test", "sample", Ct);

        Assert.Equal(400, outcome.Metrics!.Count);
        Assert.True(outcome.Metrics.Mae > 30, $"MAE {outcome.Metrics.Mae}: the holdout was not the newest trips");
    }
}
