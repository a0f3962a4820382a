using System.IO.Hashing;
using Confluent.Kafka;

namespace TaxiAspire.StreamProcessor.Consuming;

/// <summary>
/// A 64-bit fingerprint of one Kafka message (timestamp, key and value), stored with a partition's progress for the
/// last message stored: reading the message at that offset again and comparing tells whether the log is still the one
/// the offsets were read from. Stable across processes and machines (XxHash3 with a fixed seed).
/// </summary>
internal static class MessageFingerprint
{
    public static long Of(Message<byte[]?, byte[]?> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var hash = new XxHash3();
        Span<byte> header = stackalloc byte[sizeof(long) + 2 * sizeof(int)];
        BitConverter.TryWriteBytes(header, message.Timestamp.UnixTimestampMs);
        // The lengths keep (key "ab", value "c") apart from (key "a", value "bc"); -1 marks a null.
        BitConverter.TryWriteBytes(header[sizeof(long)..], message.Key?.Length ?? -1);
        BitConverter.TryWriteBytes(header[(sizeof(long) + sizeof(int))..], message.Value?.Length ?? -1);
        hash.Append(header);
        hash.Append(message.Key ?? []);
        hash.Append(message.Value ?? []);
        return (long)hash.GetCurrentHashAsUInt64();
    }
}
