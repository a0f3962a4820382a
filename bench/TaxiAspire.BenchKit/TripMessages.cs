using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.BenchKit;

/// <summary>
/// Numbered trip messages: message i is a valid trip with id <c>{run}-{i}</c>, unless it is one of the dirty ones
/// (every <see cref="DirtyEvery"/>-th), which cycle through defects the validator rejects with different reasons.
/// Pickups advance with i, so windows close as the stream goes.
/// </summary>
public sealed record TripMessages(string RunId, int DirtyEvery, DateTime FirstPickup)
{
    public bool IsDirty(long index) => DirtyEvery > 0 && index % DirtyEvery == DirtyEvery - 1;

    public string TripId(long index) => string.Create(CultureInfo.InvariantCulture, $"{RunId}-{index}");

    public byte[] Payload(long index)
    {
        if (!IsDirty(index))
        {
            return TripJsonCodec.Encode(Trip(index));
        }

        return (index / DirtyEvery % 5) switch
        {
            0 => Encoding.UTF8.GetBytes("{\"vendor_id\": 2, \"pickup_datetime\": \"2026-"),
            1 => TripJsonCodec.Encode(Trip(index) with { FareAmount = -3m }),
            2 => TripJsonCodec.Encode(Trip(index) with { VendorId = 9 }),
            3 => TripJsonCodec.Encode(Trip(index) with { PickupLongitude = 0, PickupLatitude = 0 }),
            _ => Encoding.UTF8.GetBytes("{\"vendor_id\": 1}"),
        };
    }

    public TripEvent Trip(long index) => new()
    {
        TripId = TripId(index),
        VendorId = 1 + (int)(index % 2),
        // 20 trips a second of event time: 200,000 trips span ~2.8 hours, i.e. ~33 windows per vendor.
        PickupDateTime = FirstPickup.AddMilliseconds(index * 50),
        DropoffDateTime = FirstPickup.AddMilliseconds(index * 50).AddSeconds(300 + (index % 1500)),
        PassengerCount = 1 + (int)(index % 4),
        TripDistance = 0.4 + (index % 120) / 10.0,
        PickupLongitude = -73.99 + (index % 60) / 1000.0,
        PickupLatitude = 40.73 + (index % 50) / 1000.0,
        DropoffLongitude = -73.78,
        DropoffLatitude = 40.64,
        PaymentType = 1 + (int)(index % 2),
        FareAmount = 4.5m + (index % 400) / 10m,
        TipAmount = (index % 9) / 2m,
    };

    public Message<byte[], byte[]> Message(long index) => new()
    {
        Key = Encoding.UTF8.GetBytes(TripId(index)),
        Value = Payload(index),
    };

    public static IProducer<byte[], byte[]> CreateProducer(string bootstrapServers, int lingerMs = 5) =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = lingerMs,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 500_000,
        }).SetLogHandler((_, _) => { }).Build();

    /// <summary>Produces messages [from, to) as fast as the client takes them; throws if any delivery failed.</summary>
    public void ProduceRange(IProducer<byte[], byte[]> producer, string topic, long from, long to)
    {
        ArgumentNullException.ThrowIfNull(producer);
        Error? failure = null;
        for (var i = from; i < to; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, Message(i), report =>
                    {
                        if (report.Error.IsError) failure = report.Error;
                    });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(5));
        if (failure is { } error)
        {
            throw new KafkaException(error);
        }
    }
}
