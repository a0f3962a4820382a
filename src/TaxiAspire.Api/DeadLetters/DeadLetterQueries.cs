using System.Text;
using Npgsql;

namespace TaxiAspire.Api.DeadLetters;

/// <summary>A rejected message with its reason; the payload as text, cut to <see cref="DeadLetterQueries.PayloadPreviewBytes"/>.</summary>
public sealed record DeadLetterView(
    string Topic,
    int Partition,
    int LogEpoch,
    long Offset,
    string Reason,
    string Detail,
    string Payload,
    bool PayloadTruncated,
    DateTimeOffset? KafkaTimestamp,
    DateTimeOffset RejectedAt);

/// <summary>The read side of <c>rejected_messages</c>.</summary>
public sealed class DeadLetterQueries(NpgsqlDataSource dataSource)
{
    public const int PayloadPreviewBytes = 2_048;

    /// <summary>The latest rejects, newest first, optionally of one reason.</summary>
    public async Task<IReadOnlyList<DeadLetterView>> LatestAsync(string? reason, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT topic, partition, log_epoch, "offset", reason, detail,
                   substring(payload FROM 1 FOR @preview), octet_length(payload) > @preview, kafka_timestamp, rejected_at
            FROM rejected_messages
            {(reason is null ? string.Empty : "WHERE reason = @reason")}
            ORDER BY rejected_at DESC, topic, partition, "offset" DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("preview", PayloadPreviewBytes);
        command.Parameters.AddWithValue("limit", limit);
        if (reason is not null)
        {
            command.Parameters.AddWithValue("reason", reason);
        }

        var letters = new List<DeadLetterView>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(new DeadLetterView(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetInt32(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.GetString(5),
                // Rejected bytes may be anything; invalid UTF-8 becomes U+FFFD rather than failing the page.
                Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(6)),
                reader.GetBoolean(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return letters;
    }
}
