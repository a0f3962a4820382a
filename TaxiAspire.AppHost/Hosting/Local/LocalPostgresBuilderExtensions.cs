using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using TaxiAspire.AppHost.Hosting.Local;
using TaxiAspire.LocalInfrastructure.Postgres;

namespace Aspire.Hosting;

public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// PostgreSQL without a container runtime: the machine's server binaries, run in the foreground by DCP (as the
    /// <c>postgres</c> OS user when the AppHost is root) on 127.0.0.1:<paramref name="port"/>, not proxied. The data
    /// folder defaults to <c>&lt;AppHost dir&gt;/.local-infra/postgres</c> and is initialized when the app starts.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, int port = 5432, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);

        var server = LocalPostgresServer.Create(new LocalPostgresOptions
        {
            RootDirectory = dataDirectory ?? Path.Combine(builder.AppHostDirectory, ".local-infra", "postgres"),
            Port = port,
        });
        var resource = new LocalPostgresServerResource(name, server);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new LocalPostgresHealthCheck(server, databaseName: null), failureStatus: null, tags: null));

        var resourceBuilder = builder.AddResource(resource);
        var launch = new LaunchPlan();

        // The executable's path must be final before DCP prepares it, which is before any per-resource event.
        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, cancellationToken) =>
        {
            if (!builder.ExecutionContext.IsRunMode)
            {
                return;
            }

            try
            {
                launch.Command = await server.GetForegroundCommandAsync(cancellationToken);
                resourceBuilder.WithCommand(launch.Command.FileName);
            }
            catch (PostgresUnavailableException ex)
            {
                // Fail this resource only (in BeforeResourceStartedEvent), with the message, not the whole AppHost.
                launch.Error = ex;
            }
        });

        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, async (@event, cancellationToken) =>
        {
            await @event.Notifications.PublishUpdateAsync(resource, s => s with
            {
                Properties =
                [
                    .. s.Properties,
                    new(LocalInfrastructureProperties.Mode, LocalInfrastructureProperties.LocalMode),
                    new("postgres.data", server.DataDirectory),
                    new("postgres.log", server.LogFile),
                ],
            });
            try
            {
                await server.EnsureInitializedAsync(cancellationToken);
                resource.InitializationSucceeded();
            }
            catch (Exception ex) when (ex is PostgresUnavailableException or InvalidOperationException or IOException
                                           or UnauthorizedAccessException or TimeoutException)
            {
                LocalPostgresLog.InitializationFailed(@event.Logger, ex);
                resource.InitializationFailed(ex);
            }
        });

        // Holds the launch until initdb has run; a failure here marks the resource FailedToStart with its reason.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
        {
            if (launch.Error is not null)
            {
                throw launch.Error;
            }

            await resource.Initialized.WaitAsync(cancellationToken);
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(resource, async (@event, cancellationToken) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            foreach (var database in resource.Databases.Values)
            {
                try
                {
                    await CreateDatabaseAsync(server, database.DatabaseName, cancellationToken);
                    await notifications.PublishUpdateAsync(database, s => s with
                    {
                        State = KnownResourceStates.Running,
                        StartTimeStamp = DateTime.UtcNow,
                        StopTimeStamp = null,
                    });
                }
                catch (NpgsqlException ex)
                {
                    LocalPostgresLog.DatabaseCreationFailed(logger, database.DatabaseName, ex);
                    await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.FailedToStart });
                }
            }
        });

        return resourceBuilder
            .WithArgs(context =>
            {
                foreach (var argument in launch.Command?.Arguments ?? [])
                {
                    context.Args.Add(argument);
                }
            })
            .WithEnvironment(context =>
            {
                foreach (var (variable, value) in launch.Command?.Environment ?? new Dictionary<string, string>())
                {
                    context.EnvironmentVariables[variable] = value;
                }
            })
            .WithEndpoint(LocalPostgresServerResource.EndpointName, endpoint =>
            {
                endpoint.Port = port;
                endpoint.TargetPort = port;
                endpoint.UriScheme = "tcp";
                endpoint.IsProxied = false;
                endpoint.TargetHost = LocalPostgresServer.Host;
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>
    /// A database the app needs: created (if missing) once the server is healthy, and healthy itself only when it
    /// exists, so <c>WaitFor</c> on it never lets a service see "database does not exist".
    /// </summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, [ResourceName] string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases[name] = database;
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new LocalPostgresHealthCheck(builder.Resource.Server, database.DatabaseName),
            failureStatus: null,
            tags: null));

        // The orchestrator mirrors state only onto children of containers; an executable's children are ours to report.
        builder.ApplicationBuilder.Eventing.Subscribe<ResourceStoppedEvent>(database, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, s => s with
            {
                State = KnownResourceStates.Finished,
                StopTimeStamp = DateTime.UtcNow,
            }));

        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase (local)",
                State = KnownResourceStates.Waiting,
                Properties =
                [
                    new(LocalInfrastructureProperties.Mode, LocalInfrastructureProperties.LocalMode),
                    new("postgres.database", database.DatabaseName),
                ],
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static async Task CreateDatabaseAsync(LocalPostgresServer server, string databaseName, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        // CREATE DATABASE takes no parameters; the name is quoted as an identifier instead.
        var quoted = "\"" + databaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>What the BeforeStartEvent resolved for DCP to launch (or why it could not).</summary>
    private sealed class LaunchPlan
    {
        public PostgresCommand? Command { get; set; }

        public PostgresUnavailableException? Error { get; set; }
    }
}

internal static partial class LocalPostgresLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The local PostgreSQL server could not be initialized")]
    public static partial void InitializationFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Creating database {Database} failed")]
    public static partial void DatabaseCreationFailed(ILogger logger, string database, Exception exception);
}
