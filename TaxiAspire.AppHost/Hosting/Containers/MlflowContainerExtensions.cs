namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>Containers mode's model registry: the MLflow server image, PostgreSQL as backend store, served artifacts.</summary>
public static class MlflowContainerExtensions
{
    public const int ServerPort = 5000;
    public const string ArtifactsPath = "/mlflow/artifacts";
    public const string DatabaseName = "mlflowdb";
    private const string DefaultPostgresUser = "postgres"; // Aspire's PostgreSQL container user when none is chosen

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

        var mlflow = builder.AddResource(new MlflowServerResource(name))
            .WithImage(MlflowContainerImageTags.Image, MlflowContainerImageTags.Tag)
            .WithImageRegistry(MlflowContainerImageTags.Registry)
            // The server itself is the container's process (it receives the stop signal); nothing is installed at start.
            .WithEntrypoint("mlflow")
            .WithArgs(ServerArguments(name))
            // MLflow's CLI reads MLFLOW_BACKEND_STORE_URI, so the password is not on a command line that `ps` shows.
            .WithEnvironment("MLFLOW_BACKEND_STORE_URI", BackendStoreUri(postgres.Resource))
            .WithHttpEndpoint(targetPort: ServerPort, name: MlflowServerResource.HttpEndpointName)
            .WithUrlForEndpoint(MlflowServerResource.HttpEndpointName, url => url.DisplayText = "MLflow UI")
            .WithHttpHealthCheck("/health", endpointName: MlflowServerResource.HttpEndpointName)
            .WaitFor(database);
        return dataVolume
            ? mlflow.WithVolume(VolumeNameGenerator.Generate(mlflow, "artifacts"), ArtifactsPath)
            : mlflow.WithVolume(ArtifactsPath);
    }

    /// <summary>
    /// SQLAlchemy's URL for <c>mlflowdb</c> with the driver named (psycopg2, which the image ships) and the user and
    /// password URI-encoded, so a password with <c>@ : / # %</c> stays one password. Containers reach PostgreSQL by
    /// resource name on the container network.
    /// </summary>
    internal static ReferenceExpression BackendStoreUri(PostgresServerResource server)
    {
        var builder = new ReferenceExpressionBuilder();
        builder.AppendLiteral("postgresql+psycopg2://");
        if (server.UserNameParameter is { } user)
        {
            builder.Append($"{user:uri}");
        }
        else
        {
            builder.AppendLiteral(DefaultPostgresUser);
        }

        builder.Append($":{server.PasswordParameter:uri}@{server.Name}:{server.PrimaryEndpoint.Property(EndpointProperty.TargetPort)}/{DatabaseName}");
        return builder.Build();
    }

    internal static string[] ServerArguments(string name) =>
    [
        "server",
        "--host", "0.0.0.0",
        "--port", ServerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--serve-artifacts",
        "--artifacts-destination", ArtifactsPath,
        "--allowed-hosts", AllowedHosts(name),
    ];
}
