using TaxiAspire.AppHost.Hosting.Containers;
using TaxiAspire.AppHost.Hosting.Existing;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>
/// One app model, three sources of infrastructure. The services receive the same connection strings in every mode;
/// nothing outside this folder knows which mode runs.
/// </summary>
public static class InfrastructureExtensions
{
    /// <summary>Resolves <see cref="InfrastructureMode.Auto"/> and shows the outcome as a dashboard resource.</summary>
    public static InfrastructureMode AddInfrastructureMode(this IDistributedApplicationBuilder builder, InfrastructureSettings settings, Func<bool>? containerEngineAnswers = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

        var (mode, reason) = settings.RequestedMode switch
        {
            InfrastructureMode.Auto when (containerEngineAnswers ?? ContainerRuntimeProbe.EngineAnswers)() =>
                (InfrastructureMode.Containers, "auto: a container runtime answered"),
            InfrastructureMode.Auto => (InfrastructureMode.Local, "auto: no container runtime answered"),
            var requested => (requested, "requested by configuration"),
        };

        var resource = new InfrastructureModeResource("infrastructure", mode, reason);
        builder.AddResource(resource)
            .WithInitialState(resource.Snapshot)
            .ExcludeFromManifest();
        return mode;
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddTaxiKafka(this IDistributedApplicationBuilder builder, [ResourceName] string name, InfrastructureMode mode, InfrastructureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return mode switch
        {
            InfrastructureMode.Local => builder.AddLocalKafka(name, settings.KafkaPort),
            InfrastructureMode.Existing => builder.AddExistingKafka(name),
            _ => builder.AddContainerKafka(name, settings),
        };
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddTaxiDatabase(this IDistributedApplicationBuilder builder, [ResourceName] string serverName, [ResourceName] string databaseName, InfrastructureMode mode, InfrastructureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return mode switch
        {
            InfrastructureMode.Local => builder.AddLocalPostgres(serverName, settings.PostgresPort, settings.LocalPostgresDataDirectory).AddDatabase(databaseName),
            // The database exists and belongs to the user; the migrations need no right to create databases.
            InfrastructureMode.Existing => builder.AddConnectionString(databaseName),
            _ => builder.AddContainerPostgres(serverName, settings).AddDatabase(databaseName),
        };
    }

    private static IResourceBuilder<KafkaServerResource> AddContainerKafka(this IDistributedApplicationBuilder builder, string name, InfrastructureSettings settings)
    {
        var kafka = builder.AddKafkaContainer(name, settings.KafkaPort).WithKafkaUI();
        return settings.DataVolumes ? kafka.WithDataVolume() : kafka;
    }

    private static IResourceBuilder<PostgresServerResource> AddContainerPostgres(this IDistributedApplicationBuilder builder, string name, InfrastructureSettings settings)
    {
        var postgres = builder.AddPostgres(name, port: settings.PostgresPort).WithPgWeb();
        return settings.DataVolumes ? postgres.WithDataVolume() : postgres;
    }
}
