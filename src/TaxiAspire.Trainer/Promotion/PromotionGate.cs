using Microsoft.Extensions.Options;
using TaxiAspire.Trainer.Training;
using static System.FormattableString;

namespace TaxiAspire.Trainer.Promotion;

/// <summary>The gate's verdict on one new version, with a reason that names the figures compared.</summary>
public sealed record PromotionDecision(bool Promote, string Reason);

/// <summary>
/// The champion as measured on the new version's holdout; <see cref="Metrics"/> is null when it could not be evaluated,
/// and <see cref="NotEvaluated"/> then says why (its model file is missing, or this code cannot load it).
/// </summary>
public sealed record ChampionOnHoldout(string Version, FareModelMetrics? Metrics, string? NotEvaluated = null);

/// <summary>
/// Decides whether a new version becomes champion. All three figures come from the same time-ordered holdout:
/// the new version must explain the fares better than their mean (R²), beat the median-fare baseline by a margin
/// (MAE), and beat the current champion (MAE). Every trigger (first run, schedule, on demand, drift) goes through it.
/// </summary>
public sealed class PromotionGate(IOptions<PromotionGateOptions> options)
{
    private PromotionGateOptions Options => options.Value;

    /// <summary>The gate's settings in one line: a run judged under other settings may decide otherwise.</summary>
    public string Settings => Invariant($"r2>{Options.MinRSquared};baseline-{Options.MinImprovementOverBaseline};champion-{Options.MinImprovementOverChampion}");

    public PromotionDecision Decide(FareModelMetrics candidate, MedianFareBaseline baseline, FareModelMetrics baselineMetrics, ChampionOnHoldout? champion)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(baselineMetrics);

        if (candidate.RSquared <= Options.MinRSquared)
        {
            return Refuse(Invariant($"holdout R² {candidate.RSquared:F3} is not above {Options.MinRSquared:0.###}: the model predicts the fares no better than their average does"));
        }

        var baselineLimit = baselineMetrics.Mae * (1 - Options.MinImprovementOverBaseline);
        if (candidate.Mae > baselineLimit)
        {
            return Refuse(Invariant($"holdout MAE ${candidate.Mae:F2} does not beat the baseline (the training median ${baseline.Fare:F2} for every trip, MAE ${baselineMetrics.Mae:F2}) by {Options.MinImprovementOverBaseline:P0}: at most ${baselineLimit:F2} needed"));
        }

        var beatsBaseline = Invariant($"beats the baseline (MAE ${candidate.Mae:F2} against ${baselineMetrics.Mae:F2}, R² {candidate.RSquared:F3})");
        if (champion is null)
        {
            return new PromotionDecision(true, $"{beatsBaseline}; no champion yet");
        }

        if (champion.Metrics is not { } championMetrics)
        {
            return new PromotionDecision(true, $"{beatsBaseline}; champion version {champion.Version} could not be evaluated ({champion.NotEvaluated}), so the baseline alone was the bar");
        }

        return candidate.Mae < championMetrics.Mae - Options.MinImprovementOverChampion
            ? new PromotionDecision(true, beatsBaseline + Invariant($" and champion version {champion.Version} (MAE ${championMetrics.Mae:F2} on the same holdout)"))
            : Refuse(Invariant($"holdout MAE ${candidate.Mae:F2} does not beat champion version {champion.Version}'s ${championMetrics.Mae:F2} on the same holdout")
                + (Options.MinImprovementOverChampion > 0 ? Invariant($" by ${Options.MinImprovementOverChampion:F2}") : string.Empty));
    }

    private static PromotionDecision Refuse(string reason) => new(false, reason);
}
