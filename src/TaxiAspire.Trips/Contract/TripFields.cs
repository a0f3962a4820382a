namespace TaxiAspire.Trips.Contract;

/// <summary>The JSON field names of the trip contract, shared by the codec, the validator's messages and the tests.</summary>
public static class TripFields
{
    public const string TripId = "trip_id";
    public const string VendorId = "vendor_id";
    public const string PickupDateTime = "pickup_datetime";
    public const string DropoffDateTime = "dropoff_datetime";
    public const string PassengerCount = "passenger_count";
    public const string TripDistance = "trip_distance";
    public const string PickupLongitude = "pickup_longitude";
    public const string PickupLatitude = "pickup_latitude";
    public const string DropoffLongitude = "dropoff_longitude";
    public const string DropoffLatitude = "dropoff_latitude";
    public const string PaymentType = "payment_type";
    public const string RateCodeId = "rate_code_id";
    public const string FareAmount = "fare_amount";
    public const string TipAmount = "tip_amount";

    /// <summary>The contract's timestamp format: wall-clock time, no offset.</summary>
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss";
}
