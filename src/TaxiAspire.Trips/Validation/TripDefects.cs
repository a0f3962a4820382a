using System.Text;
using System.Text.Json.Nodes;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Trips.Validation;

/// <summary>
/// The catalogue of defects, one or more per <see cref="RejectReason"/>: each turns a valid trip into the bytes of a
/// message that <see cref="TripValidator"/> rejects for exactly that reason. The producer's dirty-data generator and
/// the validator's tests both draw from here, so "what the producer breaks" and "what the processor rejects" cannot
/// drift apart.
/// </summary>
public static class TripDefects
{
    /// <summary>Every reason, in declaration order: the producer cycles through them so each one shows up.</summary>
    public static IReadOnlyList<RejectReason> Reasons { get; } = Enum.GetValues<RejectReason>();

    // The required fields, in the order TripJsonCodec reports the first one missing.
    private static readonly string[] RequiredFields =
    [
        TripFields.VendorId, TripFields.PickupDateTime, TripFields.PassengerCount, TripFields.TripDistance,
        TripFields.PaymentType, TripFields.FareAmount, TripFields.TipAmount,
    ];

    /// <summary>How many distinct forms <see cref="Create"/> knows for <paramref name="reason"/>.</summary>
    public static int VariantCount(RejectReason reason) => reason switch
    {
        RejectReason.MalformedJson => 4,
        RejectReason.MissingField => RequiredFields.Length,
        RejectReason.InvalidFieldType => 5,
        RejectReason.OversizedMessage => 1,
        RejectReason.InvalidVendor => 3,
        RejectReason.NegativeFare => 2,
        RejectReason.NonPositiveTotal => 2,
        RejectReason.OutsideNyc => 3,
        RejectReason.InvalidPassengerCount => 3,
        RejectReason.InvalidDistance => 2,
        RejectReason.DropoffBeforePickup => 1,
        RejectReason.PickupInFuture => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reject reason."),
    };

    /// <summary>
    /// The message bytes of <paramref name="clean"/> broken so that it is rejected for <paramref name="reason"/>.
    /// </summary>
    /// <param name="clean">A trip the validator accepts (otherwise an earlier check may win).</param>
    /// <param name="reason">The defect to introduce.</param>
    /// <param name="nowWallClock">The current wall-clock time in the contract's zone ("the future" is relative to it).</param>
    /// <param name="options">The validator's limits, so the defect lies beyond them whatever they are set to.</param>
    /// <param name="variant">Which form of the defect (taken modulo <see cref="VariantCount"/>).</param>
    public static byte[] Create(RejectReason reason, TripEvent clean, DateTime nowWallClock, TripValidationOptions options, int variant = 0)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(options);
        variant = Math.Abs(variant % VariantCount(reason));

        return reason switch
        {
            RejectReason.MalformedJson => Malformed(clean, variant),
            RejectReason.MissingField => Edit(clean, json => json.Remove(RequiredFields[variant])),
            RejectReason.InvalidFieldType => Edit(clean, json => Mistype(json, clean, variant)),
            RejectReason.OversizedMessage => Edit(clean, json => json["padding"] = new string('x', TripJsonCodec.MaxMessageBytes)),
            RejectReason.InvalidVendor => Encode(clean with { VendorId = variant switch { 0 => 0, 1 => 3, _ => 99 } }),
            RejectReason.NegativeFare => Encode(clean with { FareAmount = variant == 0 ? -Math.Max(clean.FareAmount, 2.5m) : -0.01m }),
            RejectReason.NonPositiveTotal => Encode(variant == 0
                ? clean with { FareAmount = 0m, TipAmount = 0m }
                : clean with { FareAmount = 1m, TipAmount = -5m }),
            RejectReason.OutsideNyc => Encode(variant switch
            {
                // (0, 0) is how broken GPS units report "no fix" in TLC data.
                0 => clean with { PickupLongitude = 0, PickupLatitude = 0 },
                1 => clean with { PickupLongitude = -118.2437, PickupLatitude = 34.0522 },
                _ => clean with
                {
                    PickupLongitude = clean.PickupLongitude ?? -73.9857,
                    PickupLatitude = clean.PickupLatitude ?? 40.7549,
                    DropoffLongitude = -75.1652,
                    DropoffLatitude = 39.9526,
                },
            }),
            RejectReason.InvalidPassengerCount => Encode(clean with
            {
                PassengerCount = variant switch { 0 => 0, 1 => -1, _ => options.MaxPassengerCount + 1 },
            }),
            RejectReason.InvalidDistance => Encode(clean with
            {
                TripDistance = variant == 0 ? -1.5 : options.MaxTripDistanceMiles + 100,
            }),
            RejectReason.DropoffBeforePickup => Encode(clean with { DropoffDateTime = clean.PickupDateTime.AddMinutes(-7) }),
            RejectReason.PickupInFuture => Encode(FarFuture(clean, nowWallClock + options.FutureTolerance, variant)),
            _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reject reason."),
        };
    }

    private static TripEvent FarFuture(TripEvent clean, DateTime latestAllowed, int variant)
    {
        // Well past the tolerance (days, not the hours of time-zone skew the validator forgives); the dropoff moves
        // along so that "dropoff before pickup" does not win.
        var pickup = latestAllowed.AddDays(variant == 0 ? 2 : 365).Date.AddHours(clean.PickupDateTime.Hour);
        var duration = clean.DropoffDateTime - clean.PickupDateTime;
        return clean with { PickupDateTime = pickup, DropoffDateTime = duration is { } d ? pickup + d : null };
    }

    private static byte[] Malformed(TripEvent clean, int variant)
    {
        var json = TripJsonCodec.Encode(clean);
        return variant switch
        {
            // Cut mid-message, as a crashed writer leaves it.
            0 => json.AsSpan(0, json.Length / 2).ToArray(),
            // A Python dict printed instead of serialised (single quotes).
            1 => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace('"', '\'')),
            // A JSON array, not an object.
            2 => Encoding.UTF8.GetBytes("[" + Encoding.UTF8.GetString(json) + "]"),
            _ => Encoding.UTF8.GetBytes("not json at all"),
        };
    }

    private static void Mistype(JsonObject json, TripEvent clean, int variant)
    {
        switch (variant)
        {
            case 0:
                json[TripFields.FareAmount] = clean.FareAmount.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case 1:
                json[TripFields.PassengerCount] = "two";
                break;
            case 2:
                // ISO 8601 with a zone is not the contract's format.
                json[TripFields.PickupDateTime] = clean.PickupDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                break;
            case 3:
                json[TripFields.VendorId] = true;
                break;
            default:
                json[TripFields.TripDistance] = new JsonArray(clean.TripDistance);
                break;
        }
    }

    private static byte[] Edit(TripEvent clean, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(TripJsonCodec.Encode(clean))!.AsObject();
        edit(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static byte[] Encode(TripEvent trip) => TripJsonCodec.Encode(trip);
}
