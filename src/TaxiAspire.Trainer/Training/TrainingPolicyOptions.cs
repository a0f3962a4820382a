using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Trainer.Training;

/// <summary>
/// Bound from the <c>Trainer</c> section: which model, how many trips and how they are split, and when the worker
/// (re)trains. What a new version must show to become champion is <see cref="Promotion.PromotionGateOptions"/>.
/// </summary>
public sealed class TrainingPolicyOptions
{
    public const string SectionName = "Trainer";

    [Required]
    public string ModelName { get; set; } = "TaxiFarePrediction";

    /// <summary>No model is trained from fewer (in-range) trips; the trainer waits for more instead.</summary>
    [Range(10, 100_000_000)]
    public int MinTrainingRows { get; set; } = 2_000;

    /// <summary>The most recent trips taken for one run.</summary>
    [Range(10, 100_000_000)]
    public int MaxTrainingRows { get; set; } = 500_000;

    /// <summary>The newest share of the trips (by pickup time) held out for evaluation.</summary>
    [Range(0.01, 0.9)]
    public double HoldoutFraction { get; set; } = 0.2;

    /// <summary>How often the worker wakes to look for data, requests and drift.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retrain this long after the last run; zero turns the schedule off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Schedule { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Retrain when the live mean absolute error exceeds the champion's holdout MAE by this factor.</summary>
    [Range(1.0, 100.0)]
    public double DriftFactor { get; set; } = 1.5;

    /// <summary>The live error is read over windows starting this long before the newest one.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan DriftLookback { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Fewer scored trips than this in the lookback say nothing about drift.</summary>
    [Range(1, 10_000_000)]
    public int DriftMinScoredTrips { get; set; } = 500;

    /// <summary>After a drift-triggered run, no other for this long (the new data needs time to be scored).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DriftCooldown { get; set; } = TimeSpan.FromMinutes(10);
}
