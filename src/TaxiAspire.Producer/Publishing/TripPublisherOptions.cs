using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Producer.Publishing;

/// <summary>How the service publishes; bound from the <c>Producer</c> configuration section.</summary>
public sealed class TripPublisherOptions
{
    public const string SectionName = "Producer";

    [Required]
    public string Topic { get; set; } = "taxi_trips";

    /// <summary>Simulated trips per second (changeable at run time through the controls).</summary>
    [Range(0.1, 1_000_000)]
    public double RatePerSecond { get; set; } = 20;

    /// <summary>Seed of the simulator; the same seed gives the same trips.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Share of messages spoiled on purpose (0.01 = 1 %).</summary>
    [Range(0.0, 1.0)]
    public double DirtyRatio { get; set; } = 0.01;

    /// <summary>How much faster than real time the event clock runs (60 fills a 10-minute window in 10 seconds).</summary>
    [Range(1.0, 100_000)]
    public double Speed { get; set; } = 1;

    /// <summary>Start paused (resume from the dashboard's "Resume" command).</summary>
    public bool StartPaused { get; set; }
}
