using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using TaxiAspire.AppHost.Hosting.Containers;
using TaxiAspire.AppHost.Hosting.Local;

namespace TaxiAspire.AppHost.Tests;

/// <summary>The model registry and the trainer in the app model, built but not started (no machine here runs MLflow).</summary>
public class MlflowModelTests
{
    private static async Task<IDistributedApplicationTestingBuilder> BuildModelAsync(string mode) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaxiAspire_AppHost>(
            ["--infrastructure", mode], TestContext.Current.CancellationToken);

    [Fact]
    public async Task Mlflow_container_is_the_pinned_image_with_postgres_store_served_artifacts_and_allowed_hosts()
    {
        await using var builder = await BuildModelAsync("containers");
        var mlflow = Assert.IsType<MlflowServerResource>(builder.Resources.Single(r => r.Name == "mlflow"));

        var image = Assert.Single(mlflow.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("ghcr.io", "mlflow/mlflow", "v3.10.1-full"), (image.Registry, image.Image, image.Tag));
        Assert.Equal("mlflow", mlflow.Entrypoint);

        var command = string.Join(' ', await ArgsOf(mlflow));
        Assert.StartsWith("server ", command, StringComparison.Ordinal);
        Assert.Contains("--host 0.0.0.0 --port 5000", command, StringComparison.Ordinal);
        Assert.Contains("--serve-artifacts --artifacts-destination /mlflow/artifacts", command, StringComparison.Ordinal);
        Assert.Contains("--allowed-hosts mlflow,mlflow:5000,localhost,localhost:*,127.0.0.1,127.0.0.1:*", command, StringComparison.Ordinal);
        Assert.DoesNotContain("postgresql", command, StringComparison.Ordinal); // the password stays out of `ps`

        // The resolved URI, with an awkward password, is ContainersModeRunTests' subject; here the shape.
        var env = await ResourceEnvironment.EvaluateAsync(mlflow, DistributedApplicationOperation.Publish);
        Assert.StartsWith("postgresql+psycopg2://postgres:{postgres-password.value", env["MLFLOW_BACKEND_STORE_URI"], StringComparison.Ordinal);
        Assert.EndsWith("@postgres:{postgres.bindings.tcp.targetPort}/mlflowdb", env["MLFLOW_BACKEND_STORE_URI"], StringComparison.Ordinal);

        var endpoint = Assert.Single(mlflow.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("http", 5000), (endpoint.Name, endpoint.TargetPort));
        var volume = Assert.Single(mlflow.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal("/mlflow/artifacts", volume.Target);
        Assert.Equal(ContainerMountType.Volume, volume.Type);
        Assert.True(mlflow.TryGetAnnotationsOfType<HealthCheckAnnotation>(out var health));
        Assert.Single(health);
        Assert.Contains(mlflow.Annotations.OfType<ResourceUrlsCallbackAnnotation>(), _ => true);

        var postgres = builder.Resources.OfType<PostgresServerResource>().Single();
        Assert.Contains("mlflowdb", postgres.Databases.Keys);
        Assert.Contains(mlflow.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "mlflowdb");
    }

    [Fact]
    public async Task Mlflow_health_check_probes_slash_health_on_its_http_endpoint()
    {
        await using var builder = await BuildModelAsync("containers");
        var mlflow = builder.Resources.OfType<MlflowServerResource>().Single();
        var endpoint = mlflow.Annotations.OfType<EndpointAnnotation>().Single();
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", 15000);

        Assert.Equal("http://localhost:15000", await mlflow.ConnectionStringExpression.GetValueAsync(TestContext.Current.CancellationToken));
        var key = Assert.Single(mlflow.Annotations.OfType<HealthCheckAnnotation>()).Key;
        Assert.Contains("mlflow", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trainer_and_processor_receive_the_registry_and_the_trainer_waits_for_it()
    {
        await using var builder = await BuildModelAsync("containers");
        var byName = builder.Resources.ToDictionary(r => r.Name);

        var trainerEnv = await ResourceEnvironment.EvaluateAsync(byName["trainer"], DistributedApplicationOperation.Publish);
        Assert.Equal("{mlflow.connectionString}", trainerEnv["ConnectionStrings__mlflow"]);
        Assert.Equal("{taxidb.connectionString}", trainerEnv["ConnectionStrings__taxidb"]);
        var processorEnv = await ResourceEnvironment.EvaluateAsync(byName["stream-processor"], DistributedApplicationOperation.Publish);
        Assert.Equal("{mlflow.connectionString}", processorEnv["ConnectionStrings__mlflow"]);

        var waits = byName["trainer"].Annotations.OfType<WaitAnnotation>().ToList();
        Assert.Contains(waits, w => w.Resource.Name == "mlflow");
        Assert.Contains(waits, w => w.Resource.Name == "migrations" && w.WaitType == WaitType.WaitForCompletion);
        Assert.Contains(byName["trainer"].Annotations.OfType<ResourceCommandAnnotation>(), c => c.DisplayName == "Train now");
    }

    [Fact]
    public async Task Local_mode_without_mlflow_on_path_uses_the_apphosts_registry_folder()
    {
        Assert.Null(MlflowLocalBuilderExtensions.FindMlflowOnPath(Path.GetTempPath()));
        await using var builder = await BuildModelAsync("local");
        if (MlflowLocalBuilderExtensions.FindMlflowOnPath() is not null)
        {
            Assert.IsType<LocalMlflowServerResource>(builder.Resources.Single(r => r.Name == "mlflow"));
            return;
        }

        var registry = Assert.IsType<LocalModelRegistryResource>(builder.Resources.Single(r => r.Name == "mlflow"));
        Assert.EndsWith(Path.Combine(".local-infra", "model-registry"), registry.Directory, StringComparison.Ordinal);
        var location = await registry.ConnectionStringExpression.GetValueAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("file:///", location, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ArgsOf(MlflowServerResource resource)
    {
        var context = new CommandLineArgsCallbackContext([], resource, TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. context.Args.Select(a => a.ToString()!)];
    }
}
