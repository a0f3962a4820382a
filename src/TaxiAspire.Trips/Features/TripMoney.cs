using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Trips;

/// <summary>Money rules shared by validation, features and aggregates.</summary>
public static class TripMoney
{
    /// <summary>The notebook's <c>total_cost = fare_amount + tip_amount</c> (surcharges and tolls are not part of the contract).</summary>
    public static decimal TotalCost(TripEvent trip)
    {
        ArgumentNullException.ThrowIfNull(trip);
        return trip.FareAmount + trip.TipAmount;
    }
}
