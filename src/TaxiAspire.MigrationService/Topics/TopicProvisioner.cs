using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;

namespace TaxiAspire.MigrationService.Topics;

/// <summary>
/// Creates missing topics with the configured partitions, replication and cleanup policy, and checks present ones
/// against the same settings. A present topic is never changed: changing partitions moves keys, changing replication
/// or retention is the cluster owner's decision, so a mismatch is reported and the start fails.
/// </summary>
internal sealed partial class TopicProvisioner(IAdminClient admin, IOptions<TopicProvisioningOptions> options, ILogger<TopicProvisioner> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The problems found (empty when every topic is as configured).</summary>
    public async Task<IReadOnlyList<string>> ProvisionAsync(CancellationToken cancellationToken)
    {
        var wanted = options.Value.Topics;
        var problems = new List<string>();
        if (wanted.Count == 0)
        {
            return problems;
        }

        var metadata = admin.GetMetadata(Timeout);
        var present = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, StringComparer.Ordinal);

        var missing = wanted.Where(w => !present.ContainsKey(w.Key)).ToList();
        if (missing.Count > 0)
        {
            problems.AddRange(await CreateAsync(missing));
        }

        var existing = wanted.Where(w => present.ContainsKey(w.Key)).ToList();
        foreach (var (name, settings) in existing)
        {
            problems.AddRange(CheckLayout(name, settings, present[name]));
        }

        if (existing.Count > 0)
        {
            problems.AddRange(await CheckCleanupPolicyAsync(existing, cancellationToken));
        }

        return problems;
    }

    private async Task<IEnumerable<string>> CreateAsync(List<KeyValuePair<string, TopicSettings>> missing)
    {
        try
        {
            await admin.CreateTopicsAsync(missing.Select(m => new TopicSpecification
            {
                Name = m.Key,
                NumPartitions = m.Value.Partitions,
                ReplicationFactor = m.Value.ReplicationFactor,
                Configs = new Dictionary<string, string> { ["cleanup.policy"] = m.Value.CleanupPolicy },
            }));
            foreach (var (name, settings) in missing)
            {
                LogCreated(logger, name, settings.Partitions, settings.ReplicationFactor, settings.CleanupPolicy);
            }

            return [];
        }
        catch (CreateTopicsException ex)
        {
            // Another instance may have created one in between: that one is checked on the next start.
            return ex.Results
                .Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
                .Select(r => $"Topic {r.Topic} is missing and the cluster refused to create it ({r.Error.Code}: {r.Error.Reason}). " +
                             $"Create it with {missing.Single(m => m.Key == r.Topic).Value.Partitions} partitions, or grant this client CREATE on the cluster.");
        }
    }

    private static IEnumerable<string> CheckLayout(string name, TopicSettings settings, TopicMetadata actual)
    {
        if (actual.Partitions.Count != settings.Partitions)
        {
            yield return $"Topic {name} has {actual.Partitions.Count} partitions, the configuration asks for {settings.Partitions}; nothing was changed. " +
                         $"Add partitions on the cluster (kafka-topics --alter --partitions {settings.Partitions}) or set Kafka:Topics:{name}:Partitions to {actual.Partitions.Count} in the AppHost's configuration.";
        }

        var replication = actual.Partitions.Count == 0 ? 0 : actual.Partitions.Min(p => p.Replicas.Length);
        if (replication != settings.ReplicationFactor)
        {
            yield return $"Topic {name} has replication factor {replication}, the configuration asks for {settings.ReplicationFactor}; nothing was changed. " +
                         $"Reassign its partitions on the cluster or set Kafka:Topics:{name}:ReplicationFactor to {replication} in the AppHost's configuration.";
        }
    }

    private async Task<IEnumerable<string>> CheckCleanupPolicyAsync(List<KeyValuePair<string, TopicSettings>> topics, CancellationToken cancellationToken)
    {
        List<DescribeConfigsResult> results;
        try
        {
            results = await admin.DescribeConfigsAsync(
                topics.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t.Key }),
                new DescribeConfigsOptions { RequestTimeout = Timeout }).WaitAsync(Timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            // librdkafka's mock cluster, for one, has no DescribeConfigs: say what was not checked, and go on.
            LogCleanupPolicyUnchecked(logger, ex.Message);
            return [];
        }

        var problems = new List<string>();
        foreach (var result in results)
        {
            var wanted = topics.Single(t => t.Key == result.ConfigResource.Name).Value.CleanupPolicy;
            var actual = result.Entries.TryGetValue("cleanup.policy", out var entry) ? entry.Value : "delete";
            if (!string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"Topic {result.ConfigResource.Name} has cleanup.policy {actual}, the configuration asks for {wanted}; nothing was changed. " +
                             $"Change it on the cluster or set Kafka:Topics:{result.ConfigResource.Name}:CleanupPolicy to {actual} in the AppHost's configuration.");
            }
        }

        return problems;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created topic {Topic}: {Partitions} partitions, replication factor {Replication}, cleanup.policy {CleanupPolicy}")]
    private static partial void LogCreated(ILogger logger, string topic, int partitions, short replication, string cleanupPolicy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topics' cleanup.policy not checked: the cluster did not answer DescribeConfigs ({Reason})")]
    private static partial void LogCleanupPolicyUnchecked(ILogger logger, string reason);
}
