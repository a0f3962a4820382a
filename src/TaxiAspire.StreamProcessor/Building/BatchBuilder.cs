using Confluent.Kafka;
using TaxiAspire.StreamProcessor.Consuming;
using TaxiAspire.Trips;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Features;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.StreamProcessor.Building;

/// <summary>A batch ready for the database, the messages it came from, and the ones to dead-letter before it commits.</summary>
internal sealed record BuiltBatch(TripBatch Batch, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Messages, IReadOnlyList<DeadLetter> DeadLetters)
{
    /// <summary>This batch and the <paramref name="next"/> one as one (see <see cref="TripBatch.FollowedBy"/>); null when they cannot be one.</summary>
    public BuiltBatch? FollowedBy(BuiltBatch next) => Batch.FollowedBy(next.Batch) is { } batch
        ? new BuiltBatch(batch, [.. Messages, .. next.Messages], [.. DeadLetters, .. next.DeadLetters])
        : null;
}

/// <summary>A rejected message with its reason.</summary>
internal sealed record DeadLetter(ConsumeResult<byte[]?, byte[]?> Message, TripRejection Rejection);

/// <summary>
/// Turns consumed messages into a <see cref="TripBatch"/>, each trip's work done once, in one pass over the messages:
/// decode (span-based, no intermediate strings) and validate, build its model input, note its partition's next offset,
/// newest event time and last message; then score the batch's inputs in one call of the champion and make each stored
/// trip, with its id, UTC instants, total and score. The writer assigns windows to the trips it inserts.
/// </summary>
internal sealed class BatchBuilder(TripValidator validator, TripScorer scorer)
{
    public BuiltBatch Build(string consumerGroup, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages, PartitionEpochs epochs)
    {
        // One read of the champion for the whole batch: without one, no model inputs are built and trips go unscored.
        var champion = scorer.Champion;
        var valid = new List<ValidTrip>(messages.Count);
        var inputs = champion is null ? null : new List<FareModelInput>(messages.Count);
        var rejects = new List<RejectedMessage>();
        var deadLetters = new List<DeadLetter>();
        var partitions = new Dictionary<(string Topic, int Partition), PartitionTally>();

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

            if (!partitions.TryGetValue((message.Topic, partition), out var tally))
            {
                tally = new PartitionTally(epoch);
                partitions.Add((message.Topic, partition), tally);
            }

            // A partition's messages come in offset order: the last one seen is the one stored with the next offset.
            tally.Last = message;
            if (result.IsSuccess)
            {
                var pickupUtc = validator.Clock.ToUtc(result.Trip.PickupDateTime);
                valid.Add(new ValidTrip(result.Trip, source, pickupUtc));
                inputs?.Add(FareModelInput.From(result.Trip));
                if (tally.MaxEventTime is null || pickupUtc > tally.MaxEventTime)
                {
                    tally.MaxEventTime = pickupUtc;
                }
            }
            else
            {
                rejects.Add(new RejectedMessage(source, result.Rejection.Code, result.Rejection.Detail, value ?? []));
                deadLetters.Add(new DeadLetter(message, result.Rejection));
            }
        }

        var scores = champion is not null && inputs is { Count: > 0 }
            ? scorer.Score(champion, [.. valid.Select(v => v.Trip)], inputs)
            : null;
        var trips = new List<StoredTrip>(valid.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            trips.Add(ToStoredTrip(valid[i], scores?[i]));
        }

        var progress = partitions.Select(p => new PartitionProgress(
            p.Key.Topic, p.Key.Partition, p.Value.Last!.Offset.Value + 1, p.Value.Epoch, p.Value.MaxEventTime,
            MessageFingerprint.Of(p.Value.Last.Message))).ToList();
        return new BuiltBatch(new TripBatch(consumerGroup, trips, rejects, progress), messages, deadLetters);
    }

    private StoredTrip ToStoredTrip(ValidTrip valid, TripScore? score) => new(
        TripId: string.IsNullOrEmpty(valid.Trip.TripId) ? valid.Source.DerivedTripId() : valid.Trip.TripId,
        Trip: valid.Trip,
        PickupUtc: valid.PickupUtc,
        DropoffUtc: valid.Trip.DropoffDateTime is { } dropoff ? validator.Clock.ToUtc(dropoff) : null,
        TotalAmount: TripMoney.TotalCost(valid.Trip),
        Source: valid.Source)
    {
        Score = score,
    };

    private readonly record struct ValidTrip(TripEvent Trip, KafkaSource Source, DateTimeOffset PickupUtc);

    // One partition's part of the batch, kept while the messages are read.
    private sealed class PartitionTally(int epoch)
    {
        public int Epoch { get; } = epoch;

        public DateTimeOffset? MaxEventTime { get; set; }

        public ConsumeResult<byte[]?, byte[]?>? Last { get; set; }
    }
}
