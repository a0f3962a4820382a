using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using TaxiAspire.BenchKit;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.AppHost.Tests;

/// <summary>
/// The AppHost in existing mode against clusters started outside it (<see cref="ExistingClusters"/>): the same
/// services, fed by the user's Kafka and PostgreSQL; wrong settings stop the start at the migrations, named.
/// </summary>
public class ExistingModeEndToEndTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Trips_reach_the_api_exactly_once_from_the_users_own_kafka_and_postgres()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var clusters = await ExistingClusters.StartAsync();
        var (app, _) = await StartAppHostAsync(clusters.AppHostArguments());
        await using var _ = app;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            cts.CancelAfter(StartDeadline);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("api", cts.Token);
        }

        using var http = app.CreateHttpClient("api", "http");
        var trips = await ApiTrips.WaitForAsync(http, atLeast: 20, limit: 200, TimeSpan.FromSeconds(90), ct);
        var ids = trips.EnumerateArray().Select(t => t.GetProperty("trip_id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        // Exactly once, from the database the user owns: every offset below each partition's stored next offset is
        // stored once, as a trip or as a reject.
        await using var dataSource = NpgsqlDataSource.Create(clusters.TaxidbConnectionString);
        var coverage = await new PipelineAudit(dataSource, HoppingWindows.Default).OffsetCoverageAsync("stream-processor", "taxi_trips", ct);
        Assert.NotEmpty(coverage); // some partition has stored progress
        Assert.All(coverage, partition => Assert.True(partition.StoredOnce, partition.ToString()));
    }

    [Fact]
    public async Task A_wrong_database_password_stops_the_start_at_once_naming_the_setting()
    {
        await using var clusters = await ExistingClusters.StartAsync();
        var wrong = new NpgsqlConnectionStringBuilder(clusters.TaxidbConnectionString) { Password = "not-the-password" }.ConnectionString;

        var (exitCode, logs, elapsed) = await RunMigrationsAsync(clusters.AppHostArguments(wrong));

        Assert.Equal(1, exitCode);
        Assert.Contains("28P01", logs, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:taxidb", logs, StringComparison.Ordinal);
        // No retries on a refused password (ten of them would take over half a minute).
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the migrations took {elapsed} to give up");
    }

    [Fact]
    public async Task Sasl_without_a_password_stops_the_start_naming_the_missing_setting()
    {
        await using var clusters = await ExistingClusters.StartAsync();

        var (exitCode, logs, _) = await RunMigrationsAsync(
        [
            .. clusters.AppHostArguments(),
            "--Kafka:Config:security.protocol", "SASL_SSL",
            "--Kafka:Config:sasl.mechanism", "PLAIN",
            "--Kafka:Config:sasl.username", "api-key",
        ]);

        // Options validated at start: the host throws before it runs (an unhandled exception, exit code 134 here).
        Assert.NotNull(exitCode);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Kafka:Config:sasl.password is not set", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_taxi_trips_with_the_wrong_partition_count_is_reported_and_left_as_it_is()
    {
        await using var clusters = await ExistingClusters.StartAsync(tripsPartitions: 4);

        var (exitCode, logs, _) = await RunMigrationsAsync(clusters.AppHostArguments());

        Assert.Equal(1, exitCode);
        Assert.Contains("Topic taxi_trips has 4 partitions, the configuration asks for 12; nothing was changed", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Topic taxi_trips_dlq", logs, StringComparison.Ordinal); // the others are as configured
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = clusters.Kafka.BootstrapServers }).Build();
        Assert.Equal(4, admin.GetMetadata("taxi_trips", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count);
    }

    // Starts the AppHost and waits for the one-shot migrations to end: its exit code, its output, how long it took.
    private static async Task<(int? ExitCode, string Logs, TimeSpan Elapsed)> RunMigrationsAsync(List<string> arguments)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, logs) = await StartAppHostAsync(arguments);
        await using var _ = app;
        var started = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(StartDeadline);
        var finished = await app.ResourceNotifications.WaitForResourceAsync(
            "migrations", e => e.Snapshot.State?.Text is "Finished" or "Exited" or "FailedToStart", cts.Token);
        var elapsed = started.Elapsed;
        // Forwarded output trails the exit by a moment: wait for the line that says why, or give up with what there is.
        await Poll.UntilOrNullAsync(() => Task.FromResult(logs.Of("migrations").Contains("fail", StringComparison.OrdinalIgnoreCase)
            || logs.Of("migrations").Contains("up to date", StringComparison.Ordinal) ? true : (bool?)null), TimeSpan.FromSeconds(10), ct);
        return (finished.Snapshot.ExitCode, logs.Of("migrations"), elapsed);
    }

    private static async Task<(DistributedApplication App, ResourceLogCapture Logs)> StartAppHostAsync(List<string> arguments)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(StartDeadline);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaxiAspire_AppHost>(
        [
            .. arguments,
            "--Infrastructure:ApiPort", FreePort.NextText(),
            .. DashboardArguments.OnFreePorts(),
        ], (options, _) =>
        {
            options.DisableDashboard = false;
            options.EnableResourceLogging = true;
        }, cts.Token);
        var logs = new ResourceLogCapture();
        builder.Services.AddLogging(logging => logging.AddProvider(logs));
        var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);
        return (app, logs);
    }
}
