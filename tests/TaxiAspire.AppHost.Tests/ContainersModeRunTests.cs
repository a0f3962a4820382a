using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using TaxiAspire.AppHost.Hosting.Containers;

namespace TaxiAspire.AppHost.Tests;

/// <summary>
/// The containers-mode app model in run mode, with the settings a user changes (ports, passwords): the values the
/// containers would receive once Aspire resolves endpoint and parameter references. Nothing is started.
/// </summary>
public class ContainersModeRunTests
{
    private const string AwkwardPassword = "p@ss:w/rd#%41 x";

    private static async Task<DistributedApplication> BuildAsync(params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaxiAspire_AppHost>(
            ["--infrastructure", "containers", .. args], TestContext.Current.CancellationToken);
        var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        RunModeConfiguration.AllocateEndpoints(builder.Resources);
        return app;
    }

    [Fact]
    public async Task With_kafka_on_port_19092_the_broker_advertises_19092_to_host_clients()
    {
        await using var app = await BuildAsync("--Infrastructure:KafkaPort", "19092");
        var kafka = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<KafkaServerResource>().Single();

        var config = await RunModeConfiguration.ResolveAsync(app, kafka);

        var advertised = config.EnvironmentVariables.ToDictionary()["KAFKA_ADVERTISED_LISTENERS"].Split(',');
        Assert.Contains("PLAINTEXT_HOST://localhost:19092", advertised);
        Assert.Contains("PLAINTEXT_INTERNAL://kafka:9093", advertised);
        Assert.Contains("PLAINTEXT_HOST://0.0.0.0:9092", config.EnvironmentVariables.ToDictionary()["KAFKA_LISTENERS"].Split(','));
        // Clients on the host bootstrap where the broker sends them back to.
        Assert.Equal("localhost:19092", await kafka.ConnectionStringExpression.GetValueAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_password_with_uri_delimiters_yields_an_mlflow_store_uri_that_decodes_to_it()
    {
        await using var app = await BuildAsync("--Parameters:postgres-password", AwkwardPassword);
        var mlflow = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<MlflowServerResource>().Single();

        var config = await RunModeConfiguration.ResolveAsync(app, mlflow);

        var store = config.EnvironmentVariables.ToDictionary()["MLFLOW_BACKEND_STORE_URI"];
        Assert.StartsWith("postgresql+psycopg2://", store, StringComparison.Ordinal);
        // SQLAlchemy splits user:password@host:port/database on the delimiters, then percent-decodes each part.
        var uri = new Uri(store);
        var userInfo = uri.UserInfo.Split(':');
        Assert.Equal(2, userInfo.Length);
        Assert.Equal("postgres", Uri.UnescapeDataString(userInfo[0]));
        Assert.Equal(AwkwardPassword, Uri.UnescapeDataString(userInfo[1]));
        Assert.Equal(("postgres", 5432, "/mlflowdb"), (uri.Host, uri.Port, uri.AbsolutePath));
        Assert.Empty(uri.Fragment);
    }

    [Fact]
    public async Task Mlflow_starts_the_server_directly_from_an_image_that_ships_the_postgres_driver()
    {
        await using var app = await BuildAsync();
        var mlflow = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<MlflowServerResource>().Single();

        var config = await RunModeConfiguration.ResolveAsync(app, mlflow);

        // The -full images (MLflow ≥ 3.9) include psycopg2; nothing is installed at start, so offline starts work.
        Assert.EndsWith("-full", Assert.Single(mlflow.Annotations.OfType<ContainerImageAnnotation>()).Tag, StringComparison.Ordinal);
        Assert.Equal("mlflow", mlflow.Entrypoint);
        var args = config.Arguments.Select(a => a.Value).ToList();
        Assert.Equal("server", args[0]);
        Assert.DoesNotContain(args, a => a.Contains("pip", StringComparison.Ordinal) || a.Contains("install", StringComparison.Ordinal));
        Assert.DoesNotContain(args, a => a.Contains("postgresql", StringComparison.Ordinal)); // the password stays out of `ps`
        Assert.Equal("mlflow,mlflow:5000,localhost,localhost:*,127.0.0.1,127.0.0.1:*", args[args.IndexOf("--allowed-hosts") + 1]);
    }
}
