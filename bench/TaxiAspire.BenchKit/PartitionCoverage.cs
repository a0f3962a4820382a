namespace TaxiAspire.BenchKit;

/// <summary>One partition's stored next offset and the offsets below it stored as trips or rejects (all, distinct).</summary>
public sealed record PartitionCoverage(int Partition, long NextOffset, long Stored, long Distinct)
{
    /// <summary>Every offset below the next one stored, none twice.</summary>
    public bool StoredOnce => Stored == NextOffset && Distinct == NextOffset;

    public override string ToString() => $"partition {Partition}: next offset {NextOffset}, {Stored} stored, {Distinct} distinct";
}
