using System.Diagnostics;
using Confluent.Kafka;
using Npgsql;
using NpgsqlTypes;
using TaxiAspire.BenchKit;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Bench;

/// <summary>What the processor is measured against: reading Kafka, COPY into PostgreSQL, and the naive consumer.</summary>
internal static class Ceilings
{
    /// <summary>Messages per second a bare consumer reads the whole topic at (no parsing, no database).</summary>
    public static double RawConsume(string bootstrapServers, string topic, int partitions, long expected)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "bench-raw",
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (count < expected && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (consumer.Consume(TimeSpan.FromSeconds(1)) is { IsPartitionEOF: false }) count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Rows per second of a binary COPY of the same trips into a table shaped like trips, without indexes.</summary>
    public static async Task<double> RawCopyAsync(NpgsqlDataSource dataSource, TripMessages messages, long count)
    {
        await using (var create = dataSource.CreateCommand("CREATE TABLE bench_copy (LIKE trips EXCLUDING INDEXES EXCLUDING IDENTITY)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var trips = new List<TripEvent>((int)count);
        for (var i = 0L; i < count; i++)
        {
            if (!messages.IsDirty(i)) trips.Add(messages.Trip(i));
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        var clock = Stopwatch.StartNew();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY bench_copy (trip_id, vendor_id, pickup_at, passenger_count, trip_distance, payment_type, fare_amount, tip_amount, total_amount, source_topic, source_partition, source_offset, ingest_seq, stored_at) FROM STDIN (FORMAT BINARY)"))
        {
            var seq = 0L;
            foreach (var t in trips)
            {
                importer.StartRow();
                importer.Write(t.TripId, NpgsqlDbType.Text);
                importer.Write((short)t.VendorId, NpgsqlDbType.Smallint);
                importer.Write(new DateTimeOffset(t.PickupDateTime, TimeSpan.Zero), NpgsqlDbType.TimestampTz);
                importer.Write((short)t.PassengerCount, NpgsqlDbType.Smallint);
                importer.Write(t.TripDistance, NpgsqlDbType.Double);
                importer.Write((short)t.PaymentType, NpgsqlDbType.Smallint);
                importer.Write(t.FareAmount, NpgsqlDbType.Numeric);
                importer.Write(t.TipAmount, NpgsqlDbType.Numeric);
                importer.Write(t.FareAmount + t.TipAmount, NpgsqlDbType.Numeric);
                importer.Write("taxi_trips", NpgsqlDbType.Text);
                importer.Write(0, NpgsqlDbType.Integer);
                importer.Write(seq, NpgsqlDbType.Bigint);
                importer.Write(++seq, NpgsqlDbType.Bigint);
                importer.Write(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await importer.CompleteAsync();
        }

        return trips.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The naive consumer: auto-commit, and one INSERT (its own transaction) per message. Runs for
    /// <paramref name="duration"/> only; at its pace a million rows would take a long time.
    /// </summary>
    public static double NaiveInsert(string bootstrapServers, string topic, NpgsqlDataSource dataSource, TimeSpan duration)
    {
        using (var create = dataSource.CreateCommand("CREATE TABLE naive_trips (LIKE trips INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY)"))
        {
            create.ExecuteNonQuery();
        }

        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "bench-naive",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        using var connection = dataSource.OpenConnection();
        using var insert = new NpgsqlCommand("""
            INSERT INTO naive_trips (trip_id, vendor_id, pickup_at, passenger_count, trip_distance, payment_type, fare_amount, tip_amount, total_amount, source_topic, source_partition, source_offset)
            VALUES (@id, @vendor, @pickup, @passengers, @distance, @payment, @fare, @tip, @total, @topic, @partition, @offset)
            ON CONFLICT (trip_id) DO NOTHING
            """, connection);
        long count = 0;
        Stopwatch? clock = null;
        while (clock is null || clock.Elapsed < duration)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(1)) is not { IsPartitionEOF: false } result) continue;
            clock ??= Stopwatch.StartNew(); // from the first message: the group join is not the consumer's pace
            var decoded = TripJsonCodec.Decode(result.Message.Value);
            if (!decoded.IsSuccess) continue;
            var t = decoded.Trip;
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("id", t.TripId ?? $"{result.Topic}-{result.Partition.Value}-{result.Offset.Value}");
            insert.Parameters.AddWithValue("vendor", (short)t.VendorId);
            insert.Parameters.AddWithValue("pickup", new DateTimeOffset(t.PickupDateTime, TimeSpan.Zero));
            insert.Parameters.AddWithValue("passengers", (short)t.PassengerCount);
            insert.Parameters.AddWithValue("distance", t.TripDistance);
            insert.Parameters.AddWithValue("payment", (short)t.PaymentType);
            insert.Parameters.AddWithValue("fare", t.FareAmount);
            insert.Parameters.AddWithValue("tip", t.TipAmount);
            insert.Parameters.AddWithValue("total", t.FareAmount + t.TipAmount);
            insert.Parameters.AddWithValue("topic", result.Topic);
            insert.Parameters.AddWithValue("partition", result.Partition.Value);
            insert.Parameters.AddWithValue("offset", result.Offset.Value);
            insert.ExecuteNonQuery();
            count++;
        }

        consumer.Close();
        return count / clock.Elapsed.TotalSeconds;
    }
}
