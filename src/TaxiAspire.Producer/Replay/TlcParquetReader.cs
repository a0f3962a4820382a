using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace TaxiAspire.Producer.Replay;

/// <summary>
/// Reads TLC yellow-taxi trip records in Parquet (<c>VendorID, tpep_pickup_datetime, tpep_dropoff_datetime,
/// passenger_count, trip_distance, RatecodeID, payment_type, fare_amount, tip_amount, PULocationID, DOLocationID</c>)
/// with Parquet.Net, a row group at a time so memory stays bounded by the largest row group. Column types vary between
/// TLC years (int32 or int64 ids, double passenger counts, timestamps in micro- or nanoseconds), so every numeric column
/// is read by its own type and converted.
/// </summary>
internal static class TlcParquetReader
{
    public static async IAsyncEnumerable<ReplayRow> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var fields = reader.Schema.GetDataFields();
        DataField Field(string name) => fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException($"{path} lacks the column {name}: not a TLC yellow-taxi trip file.");
        DataField? Optional(string name) => fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

        long row = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            var vendor = await ParquetColumns.ReadNumbersAsync(group, Field("VendorID"), rows, cancellationToken);
            var pickup = await ParquetColumns.ReadTimestampsAsync(group, Field("tpep_pickup_datetime"), rows, cancellationToken);
            var dropoff = await ParquetColumns.ReadTimestampsAsync(group, Field("tpep_dropoff_datetime"), rows, cancellationToken);
            var passengers = await ParquetColumns.ReadNumbersAsync(group, Field("passenger_count"), rows, cancellationToken);
            var distance = await ParquetColumns.ReadNumbersAsync(group, Field("trip_distance"), rows, cancellationToken);
            var rateCode = Optional("RatecodeID") is { } rc ? await ParquetColumns.ReadNumbersAsync(group, rc, rows, cancellationToken) : null;
            var payment = await ParquetColumns.ReadNumbersAsync(group, Field("payment_type"), rows, cancellationToken);
            var fare = await ParquetColumns.ReadNumbersAsync(group, Field("fare_amount"), rows, cancellationToken);
            var tip = await ParquetColumns.ReadNumbersAsync(group, Field("tip_amount"), rows, cancellationToken);

            for (var i = 0; i < rows; i++)
            {
                row++;
                yield return new ReplayRow
                {
                    RowNumber = row,
                    // Absent values become values the processor rejects (vendor 0, no passengers) rather than guesses.
                    VendorId = (int)(vendor[i] ?? 0),
                    Pickup = pickup[i],
                    Dropoff = dropoff[i],
                    PassengerCount = (int)(passengers[i] ?? 0),
                    TripDistance = distance[i] ?? 0,
                    RateCodeId = rateCode?[i] is { } r ? (int)r : null,
                    PaymentType = (int)(payment[i] ?? 5),
                    FareAmount = (decimal)(fare[i] ?? 0),
                    TipAmount = (decimal)(tip[i] ?? 0),
                };
            }
        }
    }
}
