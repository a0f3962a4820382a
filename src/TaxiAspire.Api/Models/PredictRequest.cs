namespace TaxiAspire.Api.Models;

/// <summary>
/// The shape of a <c>POST /api/predict</c> body, for the OpenAPI document: a trip in the event contract's field
/// names and formats (timestamps <c>yyyy-MM-dd HH:mm:ss</c>, wall-clock). The body itself is read by the contract's
/// own codec and checked by its validator (<see cref="TaxiAspire.Trips.Validation.TripValidator.DecodeAndValidateForPricing"/>),
/// so this type carries no rules. Fare and tip are what the model predicts: leave both out, or send both and they are
/// checked as the stream checks them.
/// </summary>
public sealed record PredictRequest(
    int VendorId,
    string PickupDatetime,
    string? DropoffDatetime,
    int PassengerCount,
    double TripDistance,
    double? PickupLongitude,
    double? PickupLatitude,
    double? DropoffLongitude,
    double? DropoffLatitude,
    int PaymentType,
    int? RateCodeId,
    decimal? FareAmount,
    decimal? TipAmount);
