using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TaxiAspire.ModelRegistry;
using TaxiAspire.Trainer.Promotion;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trainer.Training;

/// <summary>
/// One training run: time-ordered split, train, evaluate the new model, the median-fare baseline and the current
/// champion on the same holdout, register the new version with the gate's decision in its tags, and move
/// <c>champion</c> only when the <see cref="PromotionGate"/> lets it.
/// </summary>
public sealed partial class TrainingRun(
    FareModelTrainer trainer,
    IModelRegistry registry,
    TrainingPolicyOptions options,
    PromotionGate gate,
    string experimentName,
    TimeProvider timeProvider,
    ILogger logger)
{
    public async Task<TrainingOutcome> ExecuteAsync(IReadOnlyList<FareModelInput> timeOrdered, string trigger, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeOrdered);
        var usable = timeOrdered.Where(trainer.InFareRange).ToList();
        if (usable.Count < options.MinTrainingRows)
        {
            return new TrainingOutcome(TrainingStatus.NotEnoughData, trigger, timeProvider.GetUtcNow(), usable.Count,
                Detail: $"{usable.Count} usable trips, {options.MinTrainingRows} needed");
        }

        var holdoutCount = Math.Max(1, (int)Math.Ceiling(usable.Count * options.HoldoutFraction));
        var training = usable.GetRange(0, usable.Count - holdoutCount);
        var holdout = usable.GetRange(usable.Count - holdoutCount, holdoutCount);

        // ML.NET training is CPU-bound and synchronous; keep it off the caller's thread.
        var model = await Task.Run(() => trainer.Train(training), cancellationToken);
        var metrics = trainer.Evaluate(model.Model, holdout);
        var baseline = MedianFareBaseline.Fit(training);
        var baselineMetrics = baseline.Evaluate(holdout);
        var champion = await EvaluateChampionAsync(holdout, cancellationToken);
        var decision = gate.Decide(metrics, baseline, baselineMetrics, champion);

        var registered = await registry.RegisterAsync(new ModelRegistration
        {
            ModelName = options.ModelName,
            ExperimentName = experimentName,
            RunName = $"{trigger}-{timeProvider.GetUtcNow():yyyyMMdd-HHmmss}",
            ModelFile = model.ModelFile,
            Parameters = model.Parameters,
            Metrics = Metrics(metrics, baseline, baselineMetrics, champion?.Metrics),
            Tags = new Dictionary<string, string>
            {
                ["trigger"] = trigger,
                ["data_source"] = source,
                ["champion_at_training"] = champion?.Version ?? "none",
                [PromotionRecord.DecisionTag] = decision.Promote ? PromotionRecord.Promoted : PromotionRecord.Refused,
                [PromotionRecord.ReasonTag] = decision.Reason,
            },
            TextArtifacts = new Dictionary<string, string>
            {
                ["data_summary.json"] = JsonSerializer.Serialize(Summarize(source, training, holdout), TrainerJsonContext.Default.DataSummary),
            },
        }, cancellationToken);

        if (decision.Promote)
        {
            await registry.SetAliasAsync(options.ModelName, ModelRegistryConventions.ChampionAlias, registered.Version, cancellationToken);
            LogPromoted(logger, options.ModelName, registered.Version, trigger, decision.Reason);
        }
        else
        {
            LogRefused(logger, options.ModelName, registered.Version, trigger, decision.Reason);
        }

        return new TrainingOutcome(TrainingStatus.Registered, trigger, timeProvider.GetUtcNow(), usable.Count,
            registered.Version, decision.Promote, metrics, champion?.Metrics, champion?.Version, decision.Reason, baselineMetrics);
    }

    private async Task<ChampionOnHoldout?> EvaluateChampionAsync(IReadOnlyList<FareModelInput> holdout, CancellationToken cancellationToken)
    {
        var champion = await registry.GetByAliasAsync(options.ModelName, ModelRegistryConventions.ChampionAlias, cancellationToken);
        if (champion is null)
        {
            return null;
        }

        using var file = new MemoryStream();
        await registry.DownloadModelAsync(champion, file, cancellationToken);
        file.Position = 0;
        try
        {
            return new ChampionOnHoldout(champion.Version, trainer.Evaluate(FareModelTrainer.Load(file), holdout));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException or ArgumentException)
        {
            // A champion this code cannot load (another feature set) is no champion to keep: the new model replaces it
            // if it passes the baseline.
            LogChampionUnreadable(logger, champion.Version, ex);
            return new ChampionOnHoldout(champion.Version, null);
        }
    }

    private static Dictionary<string, double> Metrics(FareModelMetrics metrics, MedianFareBaseline baseline, FareModelMetrics baselineMetrics, FareModelMetrics? champion)
    {
        var all = new Dictionary<string, double>(metrics.ToDictionary())
        {
            ["holdout_rows"] = metrics.Count,
            [PromotionRecord.BaselineFareMetric] = baseline.Fare,
        };
        foreach (var (key, value) in baselineMetrics.ToDictionary(PromotionRecord.BaselineMetricPrefix).Concat(champion?.ToDictionary("champion_") ?? new Dictionary<string, double>()))
        {
            all[key] = value;
        }

        return all;
    }

    private static DataSummary Summarize(string source, List<FareModelInput> training, List<FareModelInput> holdout) => new(
        source,
        training.Count,
        holdout.Count,
        Math.Round(training.Average(r => r.FareAmount), 4),
        Math.Round(training.Average(r => r.TripDistance), 4),
        training.Count(r => float.IsNaN(r.TripSeconds)),
        training.GroupBy(r => float.IsNaN(r.RateCode) ? "unknown" : r.RateCode.ToString(CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Count()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Promoted {Model} version {Version} (trigger {Trigger}) to champion: {Reason}")]
    private static partial void LogPromoted(ILogger logger, string model, string version, string trigger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to promote {Model} version {Version} (trigger {Trigger}); it stays registered and the champion is unchanged: {Reason}")]
    private static partial void LogRefused(ILogger logger, string model, string version, string trigger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The champion (version {Version}) could not be loaded for comparison; the new model may replace it")]
    private static partial void LogChampionUnreadable(ILogger logger, string version, Exception exception);
}

/// <summary>The run's <c>data_summary.json</c>.</summary>
public sealed record DataSummary(
    string Source,
    int TrainingRows,
    int HoldoutRows,
    double MeanFare,
    double MeanDistance,
    int RowsWithoutTripTime,
    Dictionary<string, int> RowsByRateCode);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(DataSummary))]
[JsonSerializable(typeof(TrainingOutcome))]
[JsonSerializable(typeof(RetrainAccepted))]
internal sealed partial class TrainerJsonContext : JsonSerializerContext;

/// <summary>The answer to <c>POST /retrain</c>.</summary>
public sealed record RetrainAccepted(bool Queued, string Status);
