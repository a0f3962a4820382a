using TaxiAspire.StreamProcessor.Building;

namespace TaxiAspire.StreamProcessor.Consuming;

/// <summary>
/// The log epoch of each partition this replica currently owns (see <c>consumer_offsets.log_epoch</c>), and the
/// partitions whose log is still to be proven the one their offsets were stored from. Written by the rebalance
/// callbacks (which librdkafka runs inside Consume) and read by the consume loop and the batch builder: all on the
/// consume thread, so a batch is built with the epochs its messages were read under.
/// </summary>
internal sealed class PartitionEpochs
{
    private readonly Dictionary<int, int> _epochs = [];
    private readonly Dictionary<int, PartitionProgress> _unverified = [];

    public void Assign(int partition, int epoch) => _epochs[partition] = epoch;

    /// <summary>
    /// Assigns the partition at its stored progress, to be read from the message before the stored offset: that
    /// message must be the one whose fingerprint was stored (<see cref="StoredOffsetSeeker.Admit"/>).
    /// </summary>
    public void AssignUnverified(PartitionProgress stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _epochs[stored.Partition] = stored.LogEpoch;
        _unverified[stored.Partition] = stored;
    }

    public void Revoke(int partition)
    {
        _epochs.Remove(partition);
        _unverified.Remove(partition);
    }

    public bool TryGet(int partition, out int epoch) => _epochs.TryGetValue(partition, out epoch);

    /// <summary>True while some partition waits for its first message to prove its log.</summary>
    public bool AnyUnverified => _unverified.Count > 0;

    /// <summary>Takes the pending check of a partition, if it has one: it is made once, on the partition's first message.</summary>
    public bool TryTakeUnverified(int partition, out PartitionProgress stored) => _unverified.Remove(partition, out stored!);
}
