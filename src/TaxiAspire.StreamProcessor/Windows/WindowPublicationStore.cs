using Npgsql;

namespace TaxiAspire.StreamProcessor.Windows;

/// <summary>
/// The database side of "each closed window is published once": the batch transaction records closed windows in
/// <c>window_publications</c>; one replica at a time (a session advisory lock) numbers and publishes them.
/// </summary>
public sealed class WindowPublicationStore(NpgsqlDataSource dataSource)
{
    // An arbitrary constant naming "the window publisher" among advisory locks.
    private const long PublisherLockKey = 0x7461786957696E; // "taxiWin"

    /// <summary>The publisher lease, or null while another replica holds it.</summary>
    public async Task<WindowPublisherLease?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key), (SELECT instance_id FROM window_publisher_identity)", connection);
            command.Parameters.AddWithValue("key", PublisherLockKey);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (!reader.GetBoolean(0))
            {
                await connection.DisposeAsync();
                return null;
            }

            return new WindowPublisherLease(connection, reader.GetGuid(1));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
