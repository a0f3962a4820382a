using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Producer.Publishing;

/// <summary>How the producer publishes; bound from the <c>Producer</c> configuration section.</summary>
public sealed class TripPublisherOptions
{
    public const string SectionName = "Producer";

    [Required]
    public string Topic { get; set; } = "taxi_trips";

    /// <summary>Simulated trips per second.</summary>
    [Range(0.1, 1_000_000)]
    public double RatePerSecond { get; set; } = 20;

    /// <summary>Seed of the simulator; the same seed gives the same trips.</summary>
    public int Seed { get; set; } = 42;
}
