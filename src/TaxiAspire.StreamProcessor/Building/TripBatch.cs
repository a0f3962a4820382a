namespace TaxiAspire.StreamProcessor.Building;

/// <summary>One micro-batch: its valid trips, its rejects and the offsets to store with them.</summary>
public sealed record TripBatch(
    string ConsumerGroup,
    IReadOnlyList<StoredTrip> Trips,
    IReadOnlyList<RejectedMessage> Rejects,
    IReadOnlyList<PartitionProgress> Progress)
{
    /// <summary>
    /// This batch and the <paramref name="next"/> one of the same partitions, as one batch that stores what both store
    /// (each partition's progress is the later batch's, its newest event time the newer of the two). Null when they
    /// cannot be one: a partition's log epoch changed between them (one transaction stores one epoch per partition), or
    /// <paramref name="next"/> reads again what this one holds (its partition was revoked and assigned back meanwhile,
    /// so it was read again from the stored offset): apart, the second is found already stored and changes nothing.
    /// </summary>
    public TripBatch? FollowedBy(TripBatch next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.ConsumerGroup != ConsumerGroup || next.Trips.Select(t => t.Source).Concat(next.Rejects.Select(r => r.Source)).Any(ReadAgain)) return null;
        var progress = Progress.ToList();
        foreach (var later in next.Progress)
        {
            var i = progress.FindIndex(p => p.Topic == later.Topic && p.Partition == later.Partition);
            if (i < 0)
            {
                progress.Add(later);
                continue;
            }

            var earlier = progress[i];
            if (earlier.LogEpoch != later.LogEpoch) return null;
            progress[i] = later with { MaxEventTime = Newer(earlier.MaxEventTime, later.MaxEventTime) };
        }

        return new TripBatch(ConsumerGroup, [.. Trips, .. next.Trips], [.. Rejects, .. next.Rejects], progress);
    }

    private bool ReadAgain(KafkaSource source) =>
        Progress.Any(p => p.Topic == source.Topic && p.Partition == source.Partition && source.Offset < p.NextOffset);

    private static DateTimeOffset? Newer(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
