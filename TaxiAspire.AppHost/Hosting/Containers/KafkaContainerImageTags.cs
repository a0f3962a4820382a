namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>The images containers mode runs, pinned.</summary>
internal static class KafkaContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "confluentinc/confluent-local";
    public const string Tag = "7.9.1";
    public const string KafkaUiImage = "kafbat/kafka-ui";
    public const string KafkaUiTag = "v1.3.0";
}
