namespace TaxiAspire.Trips.Validation;

/// <summary>The stable wire/database code of each <see cref="RejectReason"/>.</summary>
public static class RejectReasonCodes
{
    public static string ToCode(this RejectReason reason) => reason switch
    {
        RejectReason.MalformedJson => "malformed_json",
        RejectReason.MissingField => "missing_field",
        RejectReason.InvalidFieldType => "invalid_field_type",
        RejectReason.OversizedMessage => "oversized_message",
        RejectReason.InvalidVendor => "invalid_vendor",
        RejectReason.NegativeFare => "negative_fare",
        RejectReason.NonPositiveTotal => "non_positive_total",
        RejectReason.OutsideNyc => "outside_nyc",
        RejectReason.InvalidPassengerCount => "invalid_passenger_count",
        RejectReason.InvalidDistance => "invalid_distance",
        RejectReason.DropoffBeforePickup => "dropoff_before_pickup",
        RejectReason.PickupInFuture => "pickup_in_future",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reject reason."),
    };
}
