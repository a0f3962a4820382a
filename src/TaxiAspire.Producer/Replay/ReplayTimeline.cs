using System.Globalization;
using TaxiAspire.Producer.Simulation;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Producer.Replay;

/// <summary>
/// Turns file rows into contract trips, deciding their event times. Rows without timestamps (the CSV sample) get
/// synthesised pickups: one second apart from <see cref="DefaultStart"/>, or, with shift-to-now, the live clock at the
/// moment each is sent. Rows with timestamps keep them, or, with shift-to-now, are moved as a block so the first
/// lands at now. Dropoff = pickup + duration in both cases.
/// </summary>
internal sealed class ReplayTimeline(string sourceName, bool shiftToNow, LiveEventClock liveClock, DateTime start)
{
    /// <summary>Where synthesised pickups start when not shifted: a fixed date, so replays are reproducible.</summary>
    public static readonly DateTime DefaultStart = new(2015, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    private readonly string _idPrefix = sourceName + "-";
    private TimeSpan? _shift;

    public TripEvent ToTrip(ReplayRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        DateTime pickup;
        DateTime? dropoff;
        if (row.Pickup is { } recorded)
        {
            _shift ??= shiftToNow ? liveClock.Now() - recorded : TimeSpan.Zero;
            pickup = recorded + _shift.Value;
            dropoff = row.Dropoff + _shift.Value;
        }
        else
        {
            pickup = shiftToNow ? liveClock.Now() : start.AddSeconds(row.RowNumber - 1);
            dropoff = row.DurationSeconds is { } seconds ? pickup.AddSeconds(seconds) : null;
        }

        return new TripEvent
        {
            TripId = _idPrefix + row.RowNumber.ToString(CultureInfo.InvariantCulture),
            VendorId = row.VendorId,
            PickupDateTime = pickup,
            DropoffDateTime = dropoff,
            PassengerCount = row.PassengerCount,
            TripDistance = row.TripDistance,
            PaymentType = row.PaymentType,
            RateCodeId = row.RateCodeId,
            FareAmount = row.FareAmount,
            TipAmount = row.TipAmount,
        };
    }

    /// <summary>The rows of a CSV or Parquet file, chosen by extension.</summary>
    public static IAsyncEnumerable<ReplayRow> Read(string path, CancellationToken cancellationToken) =>
        Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase)
            ? TlcParquetReader.ReadAsync(path, cancellationToken)
            : TaxiFareCsvReader.ReadAsync(path, cancellationToken);
}
