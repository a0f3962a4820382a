namespace TaxiAspire.StreamProcessor.Building;

/// <summary>
/// The next offset to read in one partition, the log epoch it belongs to, the newest event time (pickup) the
/// partition's batch carried (the input of the window watermark), and the fingerprint of the message just before
/// <see cref="NextOffset"/>, by which a recreated log is recognised (null when unknown: progress stored before the
/// fingerprint existed, or a new epoch that has stored nothing yet).
/// </summary>
public sealed record PartitionProgress(
    string Topic, int Partition, long NextOffset, int LogEpoch, DateTimeOffset? MaxEventTime = null, long? LastMessageFingerprint = null);
