namespace TaxiAspire.Trips.Validation;

/// <summary>A rejected message's reason and a human-readable detail (which field, which value).</summary>
public sealed record TripRejection(RejectReason Reason, string Detail)
{
    public string Code => Reason.ToCode();
}
