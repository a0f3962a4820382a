using Confluent.Kafka;

namespace TaxiAspire.StreamProcessor.Consuming;

/// <summary>
/// Which write lane each partition's messages take. A partition keeps the lane it was first given for the life of the
/// process, so its batches commit in offset order; new partitions are dealt round-robin, so a replica owning only even
/// (or only odd) partitions still spreads them over every lane. Used on the consume thread only.
/// </summary>
internal sealed class PartitionLanes(int lanes)
{
    private readonly Dictionary<int, int> _laneOfPartition = [];
    private int _next;

    /// <summary>The messages of each lane that has any, in consumed order.</summary>
    public IEnumerable<(int Lane, List<ConsumeResult<byte[]?, byte[]?>> Messages)> Split(List<ConsumeResult<byte[]?, byte[]?>> messages)
    {
        if (lanes == 1)
        {
            yield return (0, messages);
            yield break;
        }

        var parts = new List<ConsumeResult<byte[]?, byte[]?>>?[lanes];
        foreach (var message in messages)
        {
            var lane = LaneOf(message.Partition.Value);
            (parts[lane] ??= new List<ConsumeResult<byte[]?, byte[]?>>(messages.Count / lanes + 16)).Add(message);
        }

        for (var lane = 0; lane < lanes; lane++)
        {
            if (parts[lane] is { } part)
            {
                yield return (lane, part);
            }
        }
    }

    private int LaneOf(int partition)
    {
        if (!_laneOfPartition.TryGetValue(partition, out var lane))
        {
            lane = _next;
            _next = (_next + 1) % lanes;
            _laneOfPartition.Add(partition, lane);
        }

        return lane;
    }
}
