namespace TaxiAspire.Data.Queries;

/// <summary>Totals over everything stored so far.</summary>
public sealed record PipelineStats(
    long TripsStored,
    long MessagesRejected,
    decimal FareTotal,
    decimal TipTotal,
    DateTimeOffset? LastPickupAt,
    DateTimeOffset? LastStoredAt);
