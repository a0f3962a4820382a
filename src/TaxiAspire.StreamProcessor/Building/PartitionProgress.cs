namespace TaxiAspire.StreamProcessor.Building;

/// <summary>
/// The next offset to read in one partition, the log epoch it belongs to, and the newest event time (pickup) the
/// partition's batch carried: the input of the window watermark.
/// </summary>
public sealed record PartitionProgress(string Topic, int Partition, long NextOffset, int LogEpoch, DateTimeOffset? MaxEventTime = null);
