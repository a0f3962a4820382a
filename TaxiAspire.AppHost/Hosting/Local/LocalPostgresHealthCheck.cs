using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using TaxiAspire.LocalInfrastructure.Postgres;

namespace TaxiAspire.AppHost.Hosting.Local;

/// <summary>
/// Healthy when the server accepts a superuser connection and, for a database resource, when that database exists
/// (services must not start against a database that is still being created).
/// </summary>
internal sealed class LocalPostgresHealthCheck(LocalPostgresServer server, string? databaseName) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!server.IsInitialized)
        {
            return HealthCheckResult.Unhealthy("The data folder is not initialized yet.");
        }

        try
        {
            // No pooling: a health probe must not keep connections open against a server that is stopping.
            var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString)
            {
                Pooling = false,
                Timeout = 5,
            }.ConnectionString;
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            if (databaseName is null)
            {
                return HealthCheckResult.Healthy();
            }

            await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            command.Parameters.AddWithValue(databaseName);
            return await command.ExecuteScalarAsync(cancellationToken) is not null
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"Database '{databaseName}' does not exist yet.");
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not accept connections.", ex);
        }
    }
}
