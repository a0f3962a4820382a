namespace TaxiAspire.MigrationService.Topics;

/// <summary>What one topic must look like on the cluster (<c>Kafka:Topics:{name}</c>).</summary>
public sealed class TopicSettings
{
    public int Partitions { get; set; }

    public short ReplicationFactor { get; set; }

    public string CleanupPolicy { get; set; } = "delete";
}

/// <summary>The topics to provision; empty unless the AppHost runs on a user's own cluster (existing mode).</summary>
public sealed class TopicProvisioningOptions
{
    public const string SectionName = "Kafka:Topics";

    public Dictionary<string, TopicSettings> Topics { get; } = new(StringComparer.Ordinal);
}
