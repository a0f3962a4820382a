using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaxiAspire.Data.Schema;
using TaxiAspire.IntegrationTests.Infrastructure;

namespace TaxiAspire.IntegrationTests.Data;

/// <summary>A fresh, migrated taxidb for one test.</summary>
internal sealed class TaxiDatabase : IAsyncDisposable
{
    private TaxiDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<TaxiDatabase> CreateAsync(PostgresFixture postgres)
    {
        var connectionString = await postgres.CreateDatabaseAsync("taxidb");
        var result = DatabaseMigrator.Migrate(connectionString, NullLoggerFactory.Instance);
        Assert.True(result.Successful, result.Error?.ToString());
        return new TaxiDatabase(connectionString);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
