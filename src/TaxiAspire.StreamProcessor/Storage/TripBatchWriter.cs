using Npgsql;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>
/// Writes a micro-batch exactly once, in one transaction: its trips (<see cref="TripInserts"/>), the window
/// contributions of the trips actually inserted (<see cref="WindowContributions"/>), its rejects
/// (<see cref="RejectedMessageStore"/>) and its partitions' next offsets (<see cref="ConsumerProgressStore"/>).
/// Replaying a batch, or a zombie consumer writing one, therefore changes nothing. With an allowed lateness the same
/// transaction also closes the windows the watermark has passed (<see cref="WindowClosing"/>).
/// </summary>
public sealed class TripBatchWriter(NpgsqlDataSource dataSource, HoppingWindows windows, TimeSpan? allowedLateness = null)
{
    // Whatever the server's default: once the processor sees a batch committed it reads on from the next offset, so a
    // commit that a PostgreSQL crash could still undo (synchronous_commit = off) would lose that batch for good.
    private const string DurableCommit = "SET LOCAL synchronous_commit TO on";

    public Task<BatchWriteResult> WriteAsync(TripBatch batch, CancellationToken cancellationToken) =>
        WriteAsync(batch, Task.CompletedTask, cancellationToken);

    /// <summary>
    /// Writes the batch, committing only once <paramref name="commitPrerequisite"/> has succeeded (the dead letters'
    /// delivery): it runs meanwhile, and when it fails the transaction rolls back.
    /// </summary>
    public async Task<BatchWriteResult> WriteAsync(TripBatch batch, Task commitPrerequisite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(commitPrerequisite);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Round trips are most of a small batch's time, so statements that need no answer in between travel together.
        var inserted = new TripInsertResult(0, CopiedIntoTrips: false);
        if (batch.Trips.Count > 0)
        {
            var contributions = new WindowContributions(windows);
            // Locks the batch's progress rows first: a writer of the same partitions (a zombie) waits here.
            var onlyNewMessages = await ConsumerProgressStore.LockAndCheckFreshAsync(connection, batch, new NpgsqlBatchCommand(DurableCommit), cancellationToken);
            inserted = await TripInserts.InsertAsync(connection, transaction, batch.Trips, onlyNewMessages, contributions, cancellationToken);
            await contributions.UpsertAsync(connection, cancellationToken);
        }
        else
        {
            await using var durable = new NpgsqlCommand(DurableCommit, connection);
            await durable.ExecuteNonQueryAsync(cancellationToken);
        }

        var rejects = batch.Rejects.Count > 0 ? await RejectedMessageStore.InsertAsync(connection, batch.Rejects, cancellationToken) : 0;
        var closed = 0;
        if (batch.Progress.Count > 0)
        {
            await using var advance = new NpgsqlBatch(connection) { BatchCommands = { ConsumerProgressStore.Advance(batch.ConsumerGroup, batch.Progress) } };
            if (allowedLateness is { } lateness)
            {
                advance.BatchCommands.Add(WindowClosing.CloseUpToWatermark(batch, lateness));
                closed = (int)(await advance.ExecuteScalarAsync(cancellationToken))!;
            }
            else
            {
                await advance.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await commitPrerequisite;
        await transaction.CommitAsync(cancellationToken);
        return new BatchWriteResult(inserted.Inserted, batch.Trips.Count - inserted.Inserted, rejects, closed, inserted.CopiedIntoTrips);
    }
}
