using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Api.Training;

/// <summary>
/// Bound from the <c>Trainer</c> section (the AppHost sets <c>Trainer__BaseAddress</c>): where the API finds the trainer
/// service to forward retrain requests to; unset when no trainer is deployed.
/// </summary>
public sealed class TrainerClientOptions
{
    public const string SectionName = "Trainer";

    /// <summary>For example <c>https+http://trainer</c> (service discovery); empty means no trainer is deployed.</summary>
    public string? BaseAddress { get; set; }

    [Required]
    public string RetrainPath { get; set; } = "/retrain";
}
