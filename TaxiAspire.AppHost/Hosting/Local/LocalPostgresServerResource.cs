using System.Globalization;
using TaxiAspire.LocalInfrastructure.Postgres;

namespace TaxiAspire.AppHost.Hosting.Local;

/// <summary>
/// PostgreSQL in local mode: the machine's <c>postgres</c> run in the foreground by DCP on a fixed 127.0.0.1 port,
/// with a data folder that survives AppHost restarts.
/// </summary>
public sealed class LocalPostgresServerResource : ExecutableResource, IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    private readonly DeferredValue _password;
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LocalPostgresServerResource(string name, LocalPostgresServer server)
        : base(name, command: "postgres", workingDirectory: server.RootDirectory)
    {
        Server = server;
        _password = new DeferredValue($"{{{name}.password}}");
    }

    /// <summary>The server's folders, port and password (after initialization).</summary>
    public LocalPostgresServer Server { get; }

    public int Port => Server.Port;

    /// <summary>Superuser connection without a database (Npgsql then defaults to one named like the user).</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={LocalPostgresServer.Host};Port={Port.ToString(CultureInfo.InvariantCulture)};Username={LocalPostgresServer.SuperUser};Password={_password}");

    internal Dictionary<string, LocalPostgresDatabaseResource> Databases { get; } = new(StringComparer.Ordinal);

    /// <summary>Completes when initdb and the settings are done, so the executable may start.</summary>
    internal Task Initialized => _initialized.Task;

    internal void InitializationSucceeded()
    {
        _password.Resolve(Server.Password);
        _initialized.TrySetResult();
    }

    internal void InitializationFailed(Exception error)
    {
        _password.Fail(error);
        _initialized.TrySetException(error);
    }
}
