using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.Data.Schema;

/// <summary>
/// Applies the versioned SQL scripts embedded from <c>Migrations/</c> in name order, once each, recording them in
/// DbUp's journal table. Scripts are never edited after they ship: a change is a new script.
/// </summary>
public static class DatabaseMigrator
{
    public static DatabaseUpgradeResult Migrate(string connectionString, ILoggerFactory loggerFactory)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Migrations.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(loggerFactory)
            .Build();

        return upgrader.PerformUpgrade();
    }
}
