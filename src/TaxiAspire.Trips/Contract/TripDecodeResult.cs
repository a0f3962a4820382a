using System.Diagnostics.CodeAnalysis;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Trips.Contract;

/// <summary>Either a decoded trip or the reason the bytes are not one.</summary>
public readonly record struct TripDecodeResult(TripEvent? Trip, TripRejection? Rejection)
{
    [MemberNotNullWhen(true, nameof(Trip))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsSuccess => Trip is not null;

    public static TripDecodeResult Success(TripEvent trip) => new(trip, null);

    public static TripDecodeResult Failure(RejectReason reason, string detail) => new(null, new TripRejection(reason, detail));
}
