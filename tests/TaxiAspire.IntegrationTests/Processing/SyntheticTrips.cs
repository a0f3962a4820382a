using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.IntegrationTests.Processing;

/// <summary>
/// Deterministic trip messages for the processor tests: valid trips whose pickups advance a second per message
/// (so the watermark closes windows as the stream goes), with every <c>dirtyEvery</c>-th message invalid in one of
/// three ways the validator names.
/// </summary>
internal static class SyntheticTrips
{
    public static readonly DateTime FirstPickup = new(2026, 3, 2, 8, 0, 0, DateTimeKind.Unspecified);

    public static bool IsDirty(int index, int dirtyEvery) => dirtyEvery > 0 && index % dirtyEvery == dirtyEvery - 1;

    public static byte[] Payload(string runId, int index, int dirtyEvery)
    {
        if (IsDirty(index, dirtyEvery))
        {
            return (index / dirtyEvery % 3) switch
            {
                0 => Encoding.UTF8.GetBytes("{\"vendor_id\": 1, \"pickup_datetime\": "),
                1 => TripJsonCodec.Encode(Trip(runId, index) with { FareAmount = -5m }),
                _ => TripJsonCodec.Encode(Trip(runId, index) with { VendorId = 7 }),
            };
        }

        return TripJsonCodec.Encode(Trip(runId, index));
    }

    public static string TripId(string runId, int index) => string.Create(CultureInfo.InvariantCulture, $"{runId}-{index}");

    public static TripEvent Trip(string runId, int index) => new()
    {
        TripId = TripId(runId, index),
        VendorId = 1 + (index % 2),
        PickupDateTime = FirstPickup.AddSeconds(index),
        DropoffDateTime = FirstPickup.AddSeconds(index + 600 + (index % 900)),
        PassengerCount = 1 + (index % 4),
        TripDistance = 0.5 + (index % 97) / 10.0,
        PickupLongitude = -73.98 + (index % 50) / 1000.0,
        PickupLatitude = 40.75 + (index % 40) / 1000.0,
        DropoffLongitude = -73.96,
        DropoffLatitude = 40.77,
        PaymentType = 1 + (index % 2),
        FareAmount = 5m + (index % 300) / 10m,
        TipAmount = (index % 7) / 2m,
    };

    /// <summary>Produces messages [from, to) keyed by trip id, awaiting every delivery.</summary>
    public static async Task ProduceAsync(string bootstrapServers, string topic, string runId, int from, int to, int dirtyEvery, CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
        var deliveries = new List<Task>(to - from);
        for (var i = from; i < to; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            deliveries.Add(producer.ProduceAsync(topic, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(TripId(runId, i)),
                Value = Payload(runId, i, dirtyEvery),
            }, cancellationToken));
        }

        await Task.WhenAll(deliveries);
    }

    public static int DirtyCount(int count, int dirtyEvery) => Enumerable.Range(0, count).Count(i => IsDirty(i, dirtyEvery));
}
