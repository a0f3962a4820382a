namespace TaxiAspire.AppHost.Hosting.Local;

/// <summary>A database on the local PostgreSQL server, created once the server is healthy.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<LocalPostgresServerResource>
{
    public string DatabaseName { get; } = databaseName;

    public LocalPostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
