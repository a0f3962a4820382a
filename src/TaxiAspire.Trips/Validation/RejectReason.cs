namespace TaxiAspire.Trips.Validation;

/// <summary>
/// Why a message on <c>taxi_trips</c> was rejected. The names (snake_case via <see cref="RejectReasonCodes"/>) are
/// stored in PostgreSQL and travel in the dead-letter headers, so they are part of the contract: add, never rename.
/// </summary>
public enum RejectReason
{
    MalformedJson,
    MissingField,
    InvalidFieldType,
    OversizedMessage,
    InvalidVendor,
    NegativeFare,
    NonPositiveTotal,
    OutsideNyc,
    InvalidPassengerCount,
    InvalidDistance,
    DropoffBeforePickup,
    PickupInFuture,
}
