namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>Containers mode's model registry: the MLflow server image, PostgreSQL as backend store, served artifacts.</summary>
public static class MlflowContainerExtensions
{
    public const int ServerPort = 5000;
    public const string ArtifactsPath = "/mlflow/artifacts";
    public const string DatabaseName = "mlflowdb";

    /// <summary>
    /// Hosts that may call the server (MLflow ≥ 3.5 refuses other Host headers): other containers by resource name,
    /// services on the host through the proxied localhost port.
    /// </summary>
    public static string AllowedHosts(string name) => $"{name},{name}:{ServerPort},localhost,localhost:*,127.0.0.1,127.0.0.1:*";

    public static IResourceBuilder<MlflowServerResource> AddMlflowContainer(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<PostgresServerResource> postgres, bool dataVolume = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(postgres);
        var database = postgres.AddDatabase(DatabaseName);
        var server = postgres.Resource;

        // The store URI travels in the environment (MLflow's CLI reads MLFLOW_BACKEND_STORE_URI), so the password is
        // not on a command line that `ps` shows. Containers reach PostgreSQL by resource name on the container network.
        var backendStore = ReferenceExpression.Create(
            $"postgresql://{server.UserNameReference}:{server.PasswordParameter}@{server.Name}:{server.PrimaryEndpoint.Property(EndpointProperty.TargetPort)}/{DatabaseName}");

        var mlflow = builder.AddResource(new MlflowServerResource(name))
            .WithImage(MlflowContainerImageTags.Image, MlflowContainerImageTags.Tag)
            .WithImageRegistry(MlflowContainerImageTags.Registry)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", ServerCommand(name))
            .WithEnvironment("MLFLOW_BACKEND_STORE_URI", backendStore)
            .WithHttpEndpoint(targetPort: ServerPort, name: MlflowServerResource.HttpEndpointName)
            .WithUrlForEndpoint(MlflowServerResource.HttpEndpointName, url => url.DisplayText = "MLflow UI")
            .WithHttpHealthCheck("/health", endpointName: MlflowServerResource.HttpEndpointName)
            .WaitFor(database);
        return dataVolume
            ? mlflow.WithVolume(VolumeNameGenerator.Generate(mlflow, "artifacts"), ArtifactsPath)
            : mlflow.WithVolume(ArtifactsPath);
    }

    /// <summary>Install the driver, then replace the shell with the server (so it receives the stop signal).</summary>
    internal static string ServerCommand(string name) =>
        $"pip install --no-cache-dir --quiet {MlflowContainerImageTags.PostgresDriver} && exec mlflow server " +
        $"--host 0.0.0.0 --port {ServerPort} --serve-artifacts --artifacts-destination {ArtifactsPath} " +
        $"--allowed-hosts '{AllowedHosts(name)}'";
}
