namespace TaxiAspire.ModelRegistry;

/// <summary>
/// The names under which the trainer records its promotion decision on each version's run, and which readers (the
/// API and dashboard) look for. Every version carries them, promoted or refused.
/// </summary>
public static class PromotionRecord
{
    /// <summary>Tag: <see cref="Promoted"/> or <see cref="Refused"/>.</summary>
    public const string DecisionTag = "promotion.decision";

    /// <summary>Tag: why, in one sentence with the figures compared.</summary>
    public const string ReasonTag = "promotion.reason";

    public const string Promoted = "promoted";
    public const string Refused = "refused";

    /// <summary>Metric: the version's R² on its holdout; at or below 0 it predicted no better than the average fare.</summary>
    public const string HoldoutRSquaredMetric = "r2";

    /// <summary>Metric: the baseline's prediction (the training part's median fare), which readers replay on live trips.</summary>
    public const string BaselineFareMetric = "baseline_fare";

    /// <summary>Prefix of the baseline's holdout metrics (<c>baseline_mae</c>, <c>baseline_rmse</c>, <c>baseline_r2</c>).</summary>
    public const string BaselineMetricPrefix = "baseline_";
}
