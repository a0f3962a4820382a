using Npgsql;
using NpgsqlTypes;
using TaxiAspire.StreamProcessor.Building;

namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>Records a batch's rejected messages with their reason and original bytes, once each (by source position).</summary>
internal static class RejectedMessageStore
{
    private const string InsertRejects = """
        INSERT INTO rejected_messages (topic, partition, log_epoch, "offset", reason, detail, payload, kafka_timestamp)
        SELECT * FROM unnest(@topics, @partitions, @epochs, @offsets, @reasons, @details, @payloads, @timestamps)
        ON CONFLICT DO NOTHING
        """;

    public static async Task<int> InsertAsync(NpgsqlConnection connection, IReadOnlyList<RejectedMessage> rejects, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertRejects, connection);
        command.Parameters.AddWithValue("topics", rejects.Select(r => r.Source.Topic).ToArray());
        command.Parameters.AddWithValue("partitions", rejects.Select(r => r.Source.Partition).ToArray());
        command.Parameters.AddWithValue("epochs", rejects.Select(r => r.Source.LogEpoch).ToArray());
        command.Parameters.AddWithValue("offsets", rejects.Select(r => r.Source.Offset).ToArray());
        command.Parameters.AddWithValue("reasons", rejects.Select(r => r.ReasonCode).ToArray());
        command.Parameters.AddWithValue("details", rejects.Select(r => r.Detail).ToArray());
        command.Parameters.AddWithValue("payloads", rejects.Select(r => r.Payload.ToArray()).ToArray());
        command.Parameters.Add(new NpgsqlParameter("timestamps", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = rejects.Select(r => r.Source.Timestamp is { } ts ? (DateTime?)ts.UtcDateTime : null).ToArray(),
        });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
