using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>Creates the pipeline's topics on a real broker once it answers; existing topics are left as they are.</summary>
internal static class KafkaTopicCreator
{
    public static async Task EnsureCreatedAsync(string bootstrapServers, IReadOnlyList<PipelineTopic> topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        try
        {
            await admin.CreateTopicsAsync(topics.Select(t => new TopicSpecification { Name = t.Name, NumPartitions = t.Partitions, ReplicationFactor = 1 }));
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Kept from an earlier run (data volume): nothing to do.
        }
    }
}
