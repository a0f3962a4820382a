using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Trainer.Promotion;

/// <summary>Bound from <c>Trainer:Promotion</c>: what a new version must show on the holdout to become champion.</summary>
public sealed class PromotionGateOptions
{
    public const string SectionName = "Trainer:Promotion";

    /// <summary>
    /// The share of the median-fare baseline's holdout MAE a new version must save: 0.1 means its MAE must be at most
    /// 90 % of the baseline's. A model that learned the fares saves far more (NYC test file: MAE 0.42 against 5.32).
    /// </summary>
    [Range(0.0, 0.9)]
    public double MinImprovementOverBaseline { get; set; } = 0.1;

    /// <summary>The holdout R² must be above this; 0 means "better than the holdout's own mean fare".</summary>
    [Range(0.0, 0.99)]
    public double MinRSquared { get; set; }

    /// <summary>A new version must beat the champion's MAE on the same holdout by at least this many dollars.</summary>
    [Range(0.0, 100.0)]
    public double MinImprovementOverChampion { get; set; }
}
