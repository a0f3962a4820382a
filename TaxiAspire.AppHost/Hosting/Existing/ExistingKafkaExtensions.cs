using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TaxiAspire.AppHost.Hosting.Existing;

/// <summary>
/// Existing mode's Kafka: the user's cluster, named by <c>ConnectionStrings:kafka</c> (its bootstrap servers), with
/// its client security in the AppHost's <c>Kafka:Config</c> section (librdkafka names: security.protocol, sasl.*,
/// ssl.*). Every project that references the cluster receives that section as <c>Kafka__Config__*</c>, the
/// credentials as secret parameters, and validates it at start (TaxiAspire.ServiceDefaults' KafkaSecurityRules).
/// </summary>
public static class ExistingKafkaExtensions
{
    public const string ConfigSection = "Kafka:Config";

    /// <summary>A production cluster keeps three copies; a smaller one says so in Kafka:Topics:{topic}:ReplicationFactor.</summary>
    public const int DefaultReplicationFactor = 3;

    public static IResourceBuilder<IResourceWithConnectionString> AddExistingKafka(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var kafka = builder.AddConnectionString(name);
        var clientConfig = ClientConfig(builder, name);

        // After the app model is complete, so every project that references the cluster gets its client settings.
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var client in @event.Model.Resources.OfType<IResourceWithEnvironment>().Where(r => References(r, kafka.Resource)))
            {
                client.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    foreach (var (key, value) in clientConfig)
                    {
                        context.EnvironmentVariables[$"Kafka__Config__{key}"] = value;
                    }
                }));
            }

            return Task.CompletedTask;
        });
        return kafka;
    }

    /// <summary>
    /// The topics existing mode provisions (created if missing, checked if present) in the one-shot migrations
    /// service: <c>Kafka:Topics:{topic}:Partitions</c>, <c>:ReplicationFactor</c> (default 3) and
    /// <c>:CleanupPolicy</c> (default delete) in the AppHost's configuration, defaults from <see cref="PipelineTopics"/>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTopicProvisioning(
        this IResourceBuilder<ProjectResource> migrations, IResourceBuilder<IResourceWithConnectionString> kafka, InfrastructureMode mode)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(kafka);
        if (mode != InfrastructureMode.Existing)
        {
            return migrations; // the AppHost creates the topics with the broker (local and containers modes)
        }

        var configuration = migrations.ApplicationBuilder.Configuration;
        migrations.WithReference(kafka);
        foreach (var topic in PipelineTopics.All)
        {
            var section = configuration.GetSection($"Kafka:Topics:{topic.Name}");
            var prefix = $"Kafka__Topics__{topic.Name}__";
            migrations
                .WithEnvironment(prefix + "Partitions", section.GetValue("Partitions", topic.Partitions).ToString(CultureInfo.InvariantCulture))
                .WithEnvironment(prefix + "ReplicationFactor", section.GetValue("ReplicationFactor", DefaultReplicationFactor).ToString(CultureInfo.InvariantCulture))
                .WithEnvironment(prefix + "CleanupPolicy", section["CleanupPolicy"] ?? "delete");
        }

        return migrations;
    }

    private static List<(string Key, object Value)> ClientConfig(IDistributedApplicationBuilder builder, string name)
    {
        var settings = new List<(string, object)>();
        foreach (var setting in builder.Configuration.GetSection(ConfigSection).GetChildren().Where(s => s.Value is not null))
        {
            // Credentials travel as secret parameters: masked in the dashboard, never written into a manifest.
            object value = IsSecret(setting.Key)
                ? builder.AddParameterFromConfiguration($"{name}-{setting.Key.Replace('.', '-')}", $"{ConfigSection}:{setting.Key}", secret: true).Resource
                : setting.Value!;
            settings.Add((setting.Key, value));
        }

        return settings;
    }

    private static bool IsSecret(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.EndsWith(".pem", StringComparison.OrdinalIgnoreCase);

    private static bool References(IResource client, IResource kafka) =>
        client.Annotations.OfType<ResourceRelationshipAnnotation>().Any(r => r.Resource == kafka && r.Type == "Reference");
}
