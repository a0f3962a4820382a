namespace TaxiAspire.StreamProcessor.Windows;

/// <summary>A closed window's snapshot, numbered for publication and bound to a partition of the windows topic.</summary>
public sealed record PendingWindowPublication(
    long Sequence,
    int Partition,
    int VendorId,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long TripCount,
    decimal FareSum,
    decimal TipSum,
    decimal TotalSum,
    double DistanceSum,
    DateTimeOffset Watermark);
