using System.Collections.Concurrent;

namespace TaxiAspire.StreamProcessor.Consuming;

/// <summary>
/// The log epoch of each partition this replica currently owns (see <c>consumer_offsets.log_epoch</c>). Written by the
/// rebalance callbacks and read by the batch builder, both on the consume thread.
/// </summary>
internal sealed class PartitionEpochs
{
    private readonly ConcurrentDictionary<int, int> _epochs = new();

    public void Assign(int partition, int epoch) => _epochs[partition] = epoch;

    public void Revoke(int partition) => _epochs.TryRemove(partition, out _);

    public bool TryGet(int partition, out int epoch) => _epochs.TryGetValue(partition, out epoch);
}
