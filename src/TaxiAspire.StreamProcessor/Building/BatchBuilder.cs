using Confluent.Kafka;
using TaxiAspire.StreamProcessor.Consuming;
using TaxiAspire.Trips;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Features;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.StreamProcessor.Building;

/// <summary>A batch ready for the database, the messages it came from, and the ones to dead-letter before it commits.</summary>
internal sealed record BuiltBatch(TripBatch Batch, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Messages, IReadOnlyList<DeadLetter> DeadLetters);

/// <summary>A rejected message with its reason.</summary>
internal sealed record DeadLetter(ConsumeResult<byte[]?, byte[]?> Message, TripRejection Rejection);

/// <summary>
/// Turns consumed messages into a <see cref="TripBatch"/>, each trip's work done once: decode (span-based, no
/// intermediate strings) and validate, derive its id, UTC instants and total, build its model input; then score the
/// batch's inputs in one call of the champion and note each partition's next offset and newest event time. The writer
/// assigns windows to the trips it inserts.
/// </summary>
internal sealed class BatchBuilder(TripValidator validator, TripScorer scorer)
{
    public BuiltBatch Build(string consumerGroup, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages, PartitionEpochs epochs)
    {
        // One read of the champion for the whole batch: without one, no model inputs are built and trips go unscored.
        var champion = scorer.Champion;
        var trips = new List<StoredTrip>(messages.Count);
        var inputs = champion is null ? null : new List<FareModelInput>(messages.Count);
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
                inputs?.Add(FareModelInput.From(result.Trip));
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

        if (champion is not null && inputs is { Count: > 0 })
        {
            scorer.Score(champion, trips, inputs);
        }

        return new BuiltBatch(new TripBatch(consumerGroup, trips, rejects, [.. progress.Values]), messages, deadLetters);
    }

    private StoredTrip ToStoredTrip(TripEvent trip, KafkaSource source) => new(
        TripId: string.IsNullOrEmpty(trip.TripId) ? source.DerivedTripId() : trip.TripId,
        Trip: trip,
        PickupUtc: validator.Clock.ToUtc(trip.PickupDateTime),
        DropoffUtc: trip.DropoffDateTime is { } dropoff ? validator.Clock.ToUtc(dropoff) : null,
        TotalAmount: TripMoney.TotalCost(trip),
        Source: source);
}
