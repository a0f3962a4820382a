using System.Globalization;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trainer.Training;

/// <summary>
/// Reads the ML.NET sample's trip files (<c>vendor_id,rate_code,passenger_count,trip_time_in_secs,trip_distance,
/// payment_type,fare_amount</c>) into model rows, translating its text codes into the TLC numbers the event contract uses.
/// </summary>
public static class TaxiFareCsv
{
    private static readonly string[] Header = ["vendor_id", "rate_code", "passenger_count", "trip_time_in_secs", "trip_distance", "payment_type", "fare_amount"];

    public static async Task<List<FareModelInput>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var rows = new List<FareModelInput>();
        using var reader = new StreamReader(path);
        var header = await reader.ReadLineAsync(cancellationToken);
        if (header is null || !header.Trim().Split(',').SequenceEqual(Header))
        {
            throw new InvalidDataException($"{path}: expected the header {string.Join(',', Header)}.");
        }

        var lineNumber = 1;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != Header.Length)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected {Header.Length} fields.");
            }

            rows.Add(FareModelInput.Create(
                vendorId: VendorId(f[0]),
                rateCode: int.Parse(f[1], CultureInfo.InvariantCulture),
                passengerCount: int.Parse(f[2], CultureInfo.InvariantCulture),
                paymentType: PaymentType(f[5]),
                tripDistance: double.Parse(f[4], CultureInfo.InvariantCulture),
                tripSeconds: double.Parse(f[3], CultureInfo.InvariantCulture),
                fareAmount: double.Parse(f[6], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    /// <summary>CMT is TLC vendor 1, VTS vendor 2 (README beside the data).</summary>
    public static int VendorId(string code) => code switch
    {
        "CMT" => 1,
        "VTS" => 2,
        _ => int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0,
    };

    /// <summary>TLC payment codes: 1 card, 2 cash, 3 no charge, 4 dispute, 5 unknown.</summary>
    public static int PaymentType(string code) => code switch
    {
        "CRD" => 1,
        "CSH" => 2,
        "NOC" => 3,
        "DIS" => 4,
        "UNK" => 5,
        _ => int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 5,
    };
}
