using TaxiAspire.AppHost.Hosting.Local;

namespace Aspire.Hosting;

public static class MlflowLocalBuilderExtensions
{
    /// <summary>The full path of <c>mlflow</c> on PATH, or null (no Python MLflow on this machine).</summary>
    public static string? FindMlflowOnPath(string? path = null)
    {
        foreach (var directory in (path ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? new[] { "mlflow.exe", "mlflow.cmd" } : ["mlflow"])
            {
                var file = Path.Combine(directory, candidate);
                if (File.Exists(file))
                {
                    return file;
                }
            }
        }

        return null;
    }

    /// <summary><c>mlflow server</c> from PATH, its SQLite store and served artifacts in <c>.local-infra/mlflow</c>.</summary>
    public static IResourceBuilder<LocalMlflowServerResource> AddLocalMlflowServer(this IDistributedApplicationBuilder builder, [ResourceName] string name, string executable, int port = 5000)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var root = Path.Combine(builder.AppHostDirectory, ".local-infra", "mlflow");
        Directory.CreateDirectory(root);
        return builder.AddResource(new LocalMlflowServerResource(name, executable, root))
            .WithArgs("server", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--backend-store-uri", "sqlite:///" + Path.Combine(root, "mlflow.db"),
                "--serve-artifacts", "--artifacts-destination", Path.Combine(root, "artifacts"))
            .WithHttpEndpoint(port: port, targetPort: port, name: LocalMlflowServerResource.HttpEndpointName, isProxied: false)
            .WithUrlForEndpoint(LocalMlflowServerResource.HttpEndpointName, url => url.DisplayText = "MLflow UI")
            .WithHttpHealthCheck("/health", endpointName: LocalMlflowServerResource.HttpEndpointName)
            .ExcludeFromManifest();
    }

    /// <summary>The registry folder under <c>.local-infra/model-registry</c>: nothing to start, shown as running.</summary>
    public static IResourceBuilder<LocalModelRegistryResource> AddLocalModelRegistryFolder(this IDistributedApplicationBuilder builder, [ResourceName] string name, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var folder = Path.GetFullPath(directory ?? Path.Combine(builder.AppHostDirectory, ".local-infra", "model-registry"));
        Directory.CreateDirectory(folder);
        return builder.AddResource(new LocalModelRegistryResource(name, folder))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Model registry (local folder)",
                State = KnownResourceStates.Running,
                Properties =
                [
                    new(LocalInfrastructureProperties.Mode, LocalInfrastructureProperties.LocalMode),
                    new("registry.folder", folder),
                ],
            })
            .ExcludeFromManifest();
    }
}
