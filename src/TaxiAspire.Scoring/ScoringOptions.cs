using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Scoring;

/// <summary>Bound from the <c>Scoring</c> section: which registered model scores trips and how often to look for a new champion.</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    [Required]
    public string ModelName { get; set; } = "TaxiFarePrediction";

    /// <summary>How often the alias is read; a new champion is scoring within this interval plus its download.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(20);
}
