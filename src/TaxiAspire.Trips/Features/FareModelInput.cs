using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Trips.Features;

/// <summary>
/// One row of the fare model's input: the one definition the trainer trains on and the processor scores with, so
/// the two can never disagree on a feature. Single-precision numbers because that is what ML.NET's trainers take;
/// an unknown measurement is <see cref="float.NaN"/>, which the tree learners treat as missing, never as zero.
/// </summary>
/// <remarks>Properties (not fields) with setters: ML.NET maps rows to columns by property name.</remarks>
public sealed record FareModelInput
{
    /// <summary>The columns the model's feature vector is built from, in order.</summary>
    public static readonly IReadOnlyList<string> FeatureColumns =
    [
        nameof(VendorId), nameof(RateCode), nameof(PassengerCount), nameof(PaymentType),
        nameof(TripDistance), nameof(TripSeconds), nameof(SecondsPerMile), nameof(MeteredFareEstimate),
    ];

    /// <summary>The label column (what the model predicts).</summary>
    public const string LabelColumn = nameof(FareAmount);

    public float VendorId { get; set; }

    /// <summary>TLC rate code (1 standard, 2 JFK flat, 3 Newark, 4 Nassau/Westchester, 5 negotiated); NaN when not sent.</summary>
    public float RateCode { get; set; } = float.NaN;

    public float PassengerCount { get; set; }

    public float PaymentType { get; set; }

    public float TripDistance { get; set; }

    /// <summary>Pickup to dropoff; NaN when the trip has no dropoff time.</summary>
    public float TripSeconds { get; set; } = float.NaN;

    /// <summary>Pace: the meter charges by time below ~12 mph (300 s/mile) and by distance above.</summary>
    public float SecondsPerMile { get; set; } = float.NaN;

    /// <summary>
    /// The standard meter rule (TLC rate code 1, 2012-2019: $2.50 + $2.50/mile when moving, $0.50/minute when slow),
    /// applied to total distance and time. Tree learners approximate a straight line with steps; handing them the
    /// line itself leaves them only the corrections to learn, which is where their accuracy is won.
    /// </summary>
    public float MeteredFareEstimate { get; set; }

    /// <summary>The fare in dollars: the label when training, unused (0) when scoring.</summary>
    public float FareAmount { get; set; }

    /// <summary>The model input of a trip on the topic (or in taxidb), computed once per trip.</summary>
    public static FareModelInput From(TripEvent trip)
    {
        ArgumentNullException.ThrowIfNull(trip);
        // Both instants are wall-clock times in the same zone; a DST change during a ride is the only (rare) error.
        var seconds = trip.DropoffDateTime is { } dropoff && dropoff >= trip.PickupDateTime
            ? (dropoff - trip.PickupDateTime).TotalSeconds
            : double.NaN;
        return Create(trip.VendorId, trip.RateCodeId, trip.PassengerCount, trip.PaymentType, trip.TripDistance, seconds, (double)trip.FareAmount);
    }

    /// <summary>The model input from raw values (file rows, database rows); <paramref name="tripSeconds"/> NaN when unknown.</summary>
    public static FareModelInput Create(int vendorId, int? rateCode, int passengerCount, int paymentType, double tripDistance, double tripSeconds, double fareAmount)
    {
        var hasTime = !double.IsNaN(tripSeconds);
        return new FareModelInput
        {
            VendorId = vendorId,
            RateCode = rateCode ?? float.NaN,
            PassengerCount = passengerCount,
            PaymentType = paymentType,
            TripDistance = (float)tripDistance,
            TripSeconds = (float)tripSeconds,
            SecondsPerMile = hasTime && tripDistance > 0 ? (float)(tripSeconds / tripDistance) : float.NaN,
            MeteredFareEstimate = (float)MeterEstimate(tripDistance, hasTime ? tripSeconds : 0),
            FareAmount = (float)fareAmount,
        };
    }

    private static double MeterEstimate(double miles, double seconds)
    {
        const double flagDrop = 2.50, perMile = 2.50, perSlowMinute = 0.50, slowMilesPerHour = 12.0;
        var minutesAtSpeed = miles / slowMilesPerHour * 60;
        var slowMinutes = Math.Max(0, seconds / 60 - minutesAtSpeed);
        return flagDrop + perMile * Math.Max(0, miles) + perSlowMinute * slowMinutes;
    }
}
