using Confluent.Kafka;
using TaxiAspire.Data.Ingestion;
using TaxiAspire.StreamProcessor.Scoring;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Features;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.StreamProcessor.Processing;

/// <summary>A batch ready for the database, the messages it came from, and the ones to dead-letter before it commits.</summary>
internal sealed record BuiltBatch(TripBatch Batch, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Messages, IReadOnlyList<DeadLetter> DeadLetters);

/// <summary>A rejected message with its reason.</summary>
internal sealed record DeadLetter(ConsumeResult<byte[]?, byte[]?> Message, TripRejection Rejection);

/// <summary>
/// Turns consumed messages into a <see cref="TripBatch"/>: decodes (span-based, no intermediate strings), validates,
/// derives ids and features (the writer assigns windows to the trips it inserts), and notes each partition's next offset and newest event time.
/// </summary>
// The scorer is optional: without a registry (tests, a processor alone) trips are stored unscored.
internal sealed class BatchBuilder(TripValidator validator, TripScorer? scorer = null)
{
    public BuiltBatch Build(string consumerGroup, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages, PartitionEpochs epochs)
    {
        var trips = new List<StoredTrip>(messages.Count);
        var rejects = new List<RejectedMessage>();
        var deadLetters = new List<DeadLetter>();
        var progress = new Dictionary<(string Topic, int Partition), PartitionProgress>();

        foreach (var message in messages)
        {
            var partition = message.Partition.Value;
            if (!epochs.TryGet(partition, out var epoch))
            {
                continue; // revoked while the batch was filling: its new owner reads it again from the stored offset
            }

            var timestamp = message.Message.Timestamp.Type == TimestampType.NotAvailable
                ? (DateTimeOffset?)null
                : message.Message.Timestamp.UtcDateTime;
            var source = new KafkaSource(message.Topic, partition, message.Offset.Value, epoch, timestamp);
            var value = message.Message.Value;

            var result = value is null
                ? TripDecodeResult.Failure(RejectReason.MalformedJson, "the message has no value")
                : validator.DecodeAndValidate(value);

            var key = (message.Topic, partition);
            var maxEventTime = progress.TryGetValue(key, out var previous) ? previous.MaxEventTime : null;
            if (result.IsSuccess)
            {
                var stored = ToStoredTrip(result.Trip, source);
                trips.Add(stored);
                if (maxEventTime is null || stored.PickupUtc > maxEventTime)
                {
                    maxEventTime = stored.PickupUtc;
                }
            }
            else
            {
                rejects.Add(new RejectedMessage(source, result.Rejection.Code, result.Rejection.Detail, value ?? []));
                deadLetters.Add(new DeadLetter(message, result.Rejection));
            }

            progress[key] = new PartitionProgress(message.Topic, partition, message.Offset.Value + 1, epoch, maxEventTime);
        }

        // Only each partition's last message needs its fingerprint: the one stored with the next offset.
        foreach (var message in messages)
        {
            var key = (message.Topic, message.Partition.Value);
            if (progress.TryGetValue(key, out var last) && last.NextOffset == message.Offset.Value + 1)
            {
                progress[key] = last with { LastMessageFingerprint = MessageFingerprint.Of(message.Message) };
            }
        }

        scorer?.Score(trips);
        return new BuiltBatch(new TripBatch(consumerGroup, trips, rejects, [.. progress.Values]), messages, deadLetters);
    }

    private StoredTrip ToStoredTrip(TripEvent trip, KafkaSource source)
    {
        var pickupUtc = validator.Clock.ToUtc(trip.PickupDateTime);
        var features = TripFeatureExtractor.Extract(trip);
        return new StoredTrip(
            TripId: string.IsNullOrEmpty(trip.TripId) ? source.DerivedTripId() : trip.TripId,
            Trip: trip,
            PickupUtc: pickupUtc,
            DropoffUtc: trip.DropoffDateTime is { } dropoff ? validator.Clock.ToUtc(dropoff) : null,
            TotalAmount: features.TotalCost,
            Source: source)
        {
            Features = features,
        };
    }
}
