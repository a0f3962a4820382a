using System.Globalization;
using Npgsql;
using TaxiAspire.LocalInfrastructure.Postgres;
using Testcontainers.PostgreSql;

namespace TaxiAspire.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL server for integration tests: a Testcontainers container when a container runtime answers,
/// otherwise a throwaway server from the machine's binaries. Tests isolate by database (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ContainerImage = "postgres:17";

    private PostgreSqlContainer? _container;
    private LocalPostgresServer? _local;
    private int _databaseCount;

    /// <summary>Superuser connection to the server's maintenance database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public bool UsesContainer => _container is not null;

    public async ValueTask InitializeAsync()
    {
        if (await ContainerRuntime.IsAvailableAsync())
        {
            _container = new PostgreSqlBuilder(ContainerImage).Build();
            await _container.StartAsync();
            ConnectionString = new NpgsqlConnectionStringBuilder(_container.GetConnectionString())
            {
                Database = "postgres",
            }.ConnectionString;
        }
        else
        {
            _local = LocalPostgresServer.Create(LocalPostgresOptions.Throwaway());
            await _local.StartAsync();
            ConnectionString = _local.ConnectionString;
        }
    }

    /// <summary>Creates an empty database with a unique name and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        if (prefix.Length is 0 or > 30 || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException("Use 1-30 characters of a-z, 0-9 and _.", nameof(prefix));
        }

        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"{prefix}_{Interlocked.Increment(ref _databaseCount)}_{Guid.NewGuid().ToString("N")[..12]}");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled idle connections would otherwise hold the server open during shutdown.
        NpgsqlConnection.ClearAllPools();
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
