using System.Globalization;
using System.Runtime.CompilerServices;

namespace TaxiAspire.Producer.Replay;

/// <summary>
/// Reads the ML.NET taxi-fare sample schema (<c>vendor_id,rate_code,passenger_count,trip_time_in_secs,trip_distance,
/// payment_type,fare_amount</c>), columns found by header name. Vendors and payment types are TLC's old text codes.
/// The file has no tip column: tips replay as zero.
/// </summary>
internal static class TaxiFareCsvReader
{
    private static readonly string[] Columns =
        ["vendor_id", "rate_code", "passenger_count", "trip_time_in_secs", "trip_distance", "payment_type", "fare_amount"];

    public static async IAsyncEnumerable<ReplayRow> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(path);
        var header = await reader.ReadLineAsync(cancellationToken)
            ?? throw new InvalidDataException($"{path} is empty: a header line is expected.");
        var names = header.Split(',').Select(n => n.Trim()).ToList();
        var index = Columns.Select(c => names.IndexOf(c)).ToArray();
        var absent = Columns.Where((_, i) => index[i] < 0).ToList();
        if (absent.Count > 0)
        {
            throw new InvalidDataException($"{path} lacks the column(s) {string.Join(", ", absent)}.");
        }

        long row = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0) continue;
            row++;
            var fields = line.Split(',');
            yield return Parse(fields, index, row, path);
        }
    }

    private static ReplayRow Parse(string[] f, int[] i, long row, string path)
    {
        try
        {
            return new ReplayRow
            {
                RowNumber = row,
                VendorId = VendorId(f[i[0]]),
                RateCodeId = int.Parse(f[i[1]], CultureInfo.InvariantCulture),
                PassengerCount = int.Parse(f[i[2]], CultureInfo.InvariantCulture),
                DurationSeconds = int.Parse(f[i[3]], CultureInfo.InvariantCulture),
                TripDistance = double.Parse(f[i[4]], CultureInfo.InvariantCulture),
                PaymentType = PaymentType(f[i[5]]),
                FareAmount = decimal.Parse(f[i[6]], NumberStyles.Float, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path}, data row {row}: {ex.Message}", ex);
        }
    }

    /// <summary>TLC's vendor codes: CMT (Creative Mobile Technologies) is 1, VTS (VeriFone) is 2.</summary>
    public static int VendorId(string code) => code.Trim() switch
    {
        "CMT" or "1" => 1,
        "VTS" or "2" => 2,
        // DDS (Digital Dispatch Systems) left the market early; kept distinct so the processor flags it.
        "DDS" => 3,
        var other => int.TryParse(other, CultureInfo.InvariantCulture, out var id) ? id : 0,
    };

    /// <summary>TLC's payment codes: CRD card 1, CSH cash 2, NOC no charge 3, DIS dispute 4, UNK unknown 5.</summary>
    public static int PaymentType(string code) => code.Trim().ToUpperInvariant() switch
    {
        "CRD" or "CRE" or "CREDIT" => 1,
        "CSH" or "CAS" or "CASH" => 2,
        "NOC" or "NO CHARGE" => 3,
        "DIS" or "DISPUTE" => 4,
        "UNK" => 5,
        var other => int.TryParse(other, CultureInfo.InvariantCulture, out var id) ? id : 5,
    };
}
