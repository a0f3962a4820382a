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
/// <c>champion</c> only when the <see cref="PromotionGate"/> lets it. With <see cref="SkipWhenUnchangedSinceRefused"/>
/// a run whose inputs equal those of the newest version, refused under the same champion, is not made again.
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
    /// <summary>
    /// For automatic triggers: when the newest version was refused, under the current champion, for the same
    /// <see cref="TrainingInputs"/>, training again would register the same model and the same refusal, so the run
    /// ends at once with <see cref="TrainingStatus.Unchanged"/>. A run someone asked for always trains.
    /// </summary>
    public bool SkipWhenUnchangedSinceRefused { get; init; }

    public async Task<TrainingOutcome> ExecuteAsync(IReadOnlyList<FareModelInput> timeOrdered, string trigger, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeOrdered);
        var usable = timeOrdered.Where(trainer.InFareRange).ToList();
        if (usable.Count < options.MinTrainingRows)
        {
            return new TrainingOutcome(TrainingStatus.NotEnoughData, trigger, timeProvider.GetUtcNow(), usable.Count,
                Detail: $"{usable.Count} usable trips, {options.MinTrainingRows} needed");
        }

        var inputs = TrainingInputs.Fingerprint(usable, trainer.Parameters(), gate.Settings);
        var current = await registry.GetByAliasAsync(options.ModelName, ModelRegistryConventions.ChampionAlias, cancellationToken);
        if (SkipWhenUnchangedSinceRefused && await RefusedWithSameInputsAsync(inputs, current, cancellationToken) is { } refused)
        {
            LogUnchanged(logger, options.ModelName, refused.Version, trigger);
            return new TrainingOutcome(TrainingStatus.Unchanged, trigger, timeProvider.GetUtcNow(), usable.Count, refused.Version,
                Detail: $"nothing changed since version {refused.Version} was refused (same trips, settings and champion): not trained again");
        }

        var holdoutCount = Math.Max(1, (int)Math.Ceiling(usable.Count * options.HoldoutFraction));
        var training = usable.GetRange(0, usable.Count - holdoutCount);
        var holdout = usable.GetRange(usable.Count - holdoutCount, holdoutCount);

        // ML.NET training is CPU-bound and synchronous; keep it off the caller's thread.
        var model = await Task.Run(() => trainer.Train(training), cancellationToken);
        var metrics = trainer.Evaluate(model.Model, holdout);
        var baseline = MedianFareBaseline.Fit(training);
        var baselineMetrics = baseline.Evaluate(holdout);
        var champion = await EvaluateChampionAsync(current, holdout, cancellationToken);
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
                [ChampionAtTrainingTag] = champion?.Version ?? NoChampion,
                [TrainingInputs.Tag] = inputs,
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

    private const string ChampionAtTrainingTag = "champion_at_training";
    private const string NoChampion = "none";

    // The newest version, when it was refused for these very inputs under the current champion.
    private async Task<ModelVersionInfo?> RefusedWithSameInputsAsync(string inputs, ModelVersionInfo? champion, CancellationToken cancellationToken)
    {
        var versions = await registry.ListVersionsAsync(options.ModelName, cancellationToken);
        return versions.Count > 0 && versions[^1] is var newest
            && newest.Tag(PromotionRecord.DecisionTag) == PromotionRecord.Refused
            && newest.Tag(TrainingInputs.Tag) == inputs
            && newest.Tag(ChampionAtTrainingTag) == (champion?.Version ?? NoChampion)
            ? newest
            : null;
    }

    private async Task<ChampionOnHoldout?> EvaluateChampionAsync(ModelVersionInfo? champion, IReadOnlyList<FareModelInput> holdout, CancellationToken cancellationToken)
    {
        if (champion is null)
        {
            return null;
        }

        using var file = new MemoryStream();
        try
        {
            await registry.DownloadModelAsync(champion, file, cancellationToken);
        }
        catch (ModelNotFoundException ex)
        {
            // Failing here would fail every run until someone repairs the registry; the new version can still be
            // judged against the baseline, which it must beat anyway.
            LogChampionFileMissing(logger, options.ModelName, champion.Version, ex.Message);
            return new ChampionOnHoldout(champion.Version, null, "its model file is missing from the registry");
        }

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
            return new ChampionOnHoldout(champion.Version, null, "this trainer cannot load its model file");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The champion, {Model} version {Version}, has no model file in the registry ({Detail}), so it cannot be evaluated: the new version is judged against the baseline alone and replaces it if it passes. To keep version {Version}, restore its model artifact (model/model.zip of its run) or point the champion alias at a version whose file exists")]
    private static partial void LogChampionFileMissing(ILogger logger, string model, string version, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not training {Model} again (trigger {Trigger}): the trips, the settings and the champion are those version {Version} was refused with, so the result would be the same. New trips, other settings or POST /retrain make a new run")]
    private static partial void LogUnchanged(ILogger logger, string model, string version, string trigger);
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
