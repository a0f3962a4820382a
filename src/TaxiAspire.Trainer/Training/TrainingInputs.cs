using System.Buffers.Binary;
using System.Security.Cryptography;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trainer.Training;

/// <summary>
/// A fingerprint of everything a run's decision depends on besides the champion: the usable rows in order, the
/// learner's settings and the gate's. Training is seeded and single-threaded, so equal fingerprints (and the same
/// champion) mean the same model, the same figures and the same decision.
/// </summary>
public static class TrainingInputs
{
    /// <summary>The tag under which each version's run records its fingerprint.</summary>
    public const string Tag = "training.inputs";

    public static string Fingerprint(IReadOnlyList<FareModelInput> rows, IReadOnlyDictionary<string, string> learnerSettings, string gateSettings)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(learnerSettings);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The raw fields only: the derived features are computed from them.
        Span<byte> row = stackalloc byte[7 * sizeof(float)];
        foreach (var r in rows)
        {
            BinaryPrimitives.WriteSingleLittleEndian(row, r.VendorId);
            BinaryPrimitives.WriteSingleLittleEndian(row[4..], r.RateCode);
            BinaryPrimitives.WriteSingleLittleEndian(row[8..], r.PassengerCount);
            BinaryPrimitives.WriteSingleLittleEndian(row[12..], r.PaymentType);
            BinaryPrimitives.WriteSingleLittleEndian(row[16..], r.TripDistance);
            BinaryPrimitives.WriteSingleLittleEndian(row[20..], r.TripSeconds);
            BinaryPrimitives.WriteSingleLittleEndian(row[24..], r.FareAmount);
            hash.AppendData(row);
        }

        foreach (var (key, value) in learnerSettings.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"\n{key}={value}"));
        }

        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"\ngate={gateSettings}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
