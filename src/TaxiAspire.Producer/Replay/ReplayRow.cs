namespace TaxiAspire.Producer.Replay;

/// <summary>
/// One trip record as read from a file, before event times are decided. CSV samples carry a duration and no
/// timestamps; TLC Parquet files carry timestamps. Neither carries coordinates (TLC publishes zone ids since 2016).
/// </summary>
internal sealed record ReplayRow
{
    /// <summary>1-based data row number (the header is not counted): the trip id's suffix.</summary>
    public required long RowNumber { get; init; }
    public required int VendorId { get; init; }
    public int? RateCodeId { get; init; }
    public required int PassengerCount { get; init; }
    public required double TripDistance { get; init; }
    public required int PaymentType { get; init; }
    public required decimal FareAmount { get; init; }
    public decimal TipAmount { get; init; }
    public DateTime? Pickup { get; init; }
    public DateTime? Dropoff { get; init; }
    public int? DurationSeconds { get; init; }
}
