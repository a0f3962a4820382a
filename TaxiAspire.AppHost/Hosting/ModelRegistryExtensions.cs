using TaxiAspire.AppHost.Hosting.Containers;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>The model registry in either mode; services receive its location as the <c>mlflow</c> connection string.</summary>
public static class ModelRegistryExtensions
{
    /// <summary>
    /// Containers: the MLflow server image on the taxidb PostgreSQL server (database <c>mlflowdb</c>). Local: an
    /// <c>mlflow</c> executable on PATH if there is one, otherwise the AppHost's registry folder. Existing: the
    /// <c>mlflow</c> connection string (a tracking server's URL, or a shared registry folder's <c>file:///</c> URL).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddTaxiModelRegistry(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, InfrastructureMode mode, InfrastructureSettings settings,
        IResourceBuilder<IResourceWithConnectionString> taxidb, Func<string?>? findMlflow = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(taxidb);
        if (mode == InfrastructureMode.Existing)
        {
            return builder.AddConnectionString(name);
        }

        if (mode == InfrastructureMode.Containers)
        {
            var server = taxidb.Resource is PostgresDatabaseResource database
                ? builder.CreateResourceBuilder(database.Parent)
                : throw new InvalidOperationException("Containers mode keeps MLflow's store on the taxidb PostgreSQL container.");
            return builder.AddMlflowContainer(name, server, settings.DataVolumes);
        }

        return (findMlflow ?? (() => MlflowLocalBuilderExtensions.FindMlflowOnPath()))() is { } executable
            ? builder.AddLocalMlflowServer(name, executable)
            : builder.AddLocalModelRegistryFolder(name);
    }
}
