using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.StreamProcessor.Scoring;

/// <summary>Bound from the <c>Scoring</c> section: which model scores trips, how often to look for a new champion, and what counts as an anomaly.</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    [Required]
    public string ModelName { get; set; } = "TaxiFarePrediction";

    /// <summary>How often the alias is read; a new champion is scoring within this interval plus its download.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A fare this many dollars from the prediction is an anomaly…</summary>
    [Range(0.0, 10_000.0)]
    public decimal AnomalyMinDollars { get; set; } = 10m;

    /// <summary>…and also this fraction of the prediction away (so long trips are not flagged for ordinary spread).</summary>
    [Range(0.0, 100.0)]
    public decimal AnomalyMinFraction { get; set; } = 0.5m;
}
