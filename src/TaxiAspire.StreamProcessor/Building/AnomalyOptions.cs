using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.StreamProcessor.Building;

/// <summary>
/// What counts as a fare anomaly, bound from the same <c>Scoring</c> section as the shared
/// <see cref="TaxiAspire.Scoring.ScoringOptions"/> (model name, reload interval): only the processor flags anomalies.
/// </summary>
public sealed class AnomalyOptions
{
    /// <summary>A fare this many dollars from the prediction is an anomaly…</summary>
    [Range(0.0, 10_000.0)]
    public decimal AnomalyMinDollars { get; set; } = 10m;

    /// <summary>…and also this fraction of the prediction away (so long trips are not flagged for ordinary spread).</summary>
    [Range(0.0, 100.0)]
    public decimal AnomalyMinFraction { get; set; } = 0.5m;
}
