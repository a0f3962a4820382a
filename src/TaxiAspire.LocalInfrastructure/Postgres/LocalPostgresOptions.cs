namespace TaxiAspire.LocalInfrastructure.Postgres;

public sealed record LocalPostgresOptions
{
    /// <summary>
    /// Folder this server owns: <c>data/</c> (PGDATA), <c>password</c>, <c>sockets/</c>, <c>postgres.log</c>.
    /// Null means throwaway: a temp folder removed on dispose.
    /// </summary>
    public string? RootDirectory { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Folder with postgres, initdb and pg_ctl; null searches (see <see cref="PostgresBinaries.Locate"/>).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>OS account the server runs as when this process is root (PostgreSQL refuses to run as root).</summary>
    public string OsUser { get; init; } = "postgres";

    /// <summary>Off trades crash safety for speed; right for throwaway test servers only.</summary>
    public bool Fsync { get; init; } = true;

    public bool IsThrowaway => RootDirectory is null;

    /// <summary>Options for a test server: temp folder, free port, no fsync.</summary>
    public static LocalPostgresOptions Throwaway() => new() { Fsync = false };
}
