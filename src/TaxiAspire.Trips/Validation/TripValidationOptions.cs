using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Trips.Validation;

/// <summary>The knobs of <see cref="TripValidator"/>; bound from the <c>Trips</c> configuration section.</summary>
public sealed class TripValidationOptions
{
    public const string SectionName = "Trips";

    /// <summary>IANA id of the zone the contract's offset-less timestamps are read in.</summary>
    [Required]
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>
    /// How far ahead of now a pickup may lie before it counts as "in the future". Producers stamp their own local
    /// time, so hours of skew are normal; only far-future stamps are defects.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromDays(1);

    [Range(1, 255)]
    public int MaxPassengerCount { get; set; } = 9;

    [Range(1, 10_000)]
    public double MaxTripDistanceMiles { get; set; } = 500;
}
