using Microsoft.Extensions.Logging.Abstractions;
using TaxiAspire.Data.Schema;
using TaxiAspire.IntegrationTests.Infrastructure;

namespace TaxiAspire.IntegrationTests.Data;

public class MigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrations_create_the_schema_once_and_a_second_run_changes_nothing()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);

        var tables = await db.ScalarAsync<long>("""
            SELECT count(*) FROM information_schema.tables
            WHERE table_schema = 'public' AND table_name IN ('trips', 'trip_windows', 'consumer_offsets', 'rejected_messages')
            """);
        Assert.Equal(4, tables);

        var again = DatabaseMigrator.Migrate(db.ConnectionString, NullLoggerFactory.Instance);
        Assert.True(again.Successful);
        Assert.Empty(again.Scripts);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM schemaversions") >= 1);
    }
}
