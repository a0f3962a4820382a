using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace TaxiAspire.IntegrationTests.Kafka;

/// <summary>
/// Host builders for the Kafka client tests. Each gets its own application name, hence its own ActivitySource and
/// Meter name, so listeners of tests running in parallel never see each other's spans and measurements.
/// </summary>
internal static class KafkaTestHost
{
    public const string ConnectionName = "kafka";

    public static HostApplicationBuilder CreateBuilder(string? bootstrapServers, IDictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = $"TaxiAspire.Tests.{Guid.NewGuid():N}",
            EnvironmentName = Environments.Development,
            DisableDefaults = true,
        });

        var values = new Dictionary<string, string?>(configuration ?? new Dictionary<string, string?>());
        if (bootstrapServers is not null)
        {
            values[$"ConnectionStrings:{ConnectionName}"] = bootstrapServers;
        }

        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
