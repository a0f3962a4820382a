namespace TaxiAspire.Data.Ingestion;

/// <summary>The next offset to read in one partition, and the log epoch it belongs to.</summary>
public sealed record PartitionProgress(string Topic, int Partition, long NextOffset, int LogEpoch);
