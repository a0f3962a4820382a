namespace TaxiAspire.LocalInfrastructure.Postgres;

/// <summary>Where the PostgreSQL server programs live on this machine.</summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    public const string BinDirectoryVariable = "PG_BIN";

    private static readonly string[] DistributionRoots = ["/usr/lib/postgresql", "/usr/local/lib/postgresql"];

    public string Postgres => Program("postgres");

    public string InitDb => Program("initdb");

    public string PgCtl => Program("pg_ctl");

    /// <summary>
    /// The configured folder, else $PG_BIN, else the newest /usr/lib/postgresql/N/bin, else <c>pg_config --bindir</c>.
    /// </summary>
    public static PostgresBinaries Locate(string? configured = null)
    {
        var candidates = new List<string?> { configured, Environment.GetEnvironmentVariable(BinDirectoryVariable) };
        candidates.AddRange(DistributionRoots
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Select(dir => (Dir: dir, Version: Version.TryParse(Path.GetFileName(dir), out var v) ? v : null))
            .Where(x => x.Version is not null)
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin")));
        candidates.Add(PgConfigBinDirectory());

        foreach (var dir in candidates.OfType<string>().Where(d => d.Length > 0))
        {
            var binaries = new PostgresBinaries(dir);
            if (File.Exists(binaries.Postgres) && File.Exists(binaries.InitDb) && File.Exists(binaries.PgCtl))
            {
                return binaries;
            }

            if (dir == configured)
            {
                throw new PostgresUnavailableException(
                    $"The configured PostgreSQL bin folder '{dir}' lacks postgres, initdb or pg_ctl.");
            }
        }

        throw new PostgresUnavailableException(
            "PostgreSQL server binaries (postgres, initdb, pg_ctl) were not found. Install them (Debian/Ubuntu: " +
            "'apt-get install postgresql'; macOS: 'brew install postgresql'), or set " + BinDirectoryVariable +
            " to the folder that holds them.");
    }

    private string Program(string name) =>
        Path.Combine(BinDirectory, OperatingSystem.IsWindows() ? name + ".exe" : name);

    private static string? PgConfigBinDirectory()
    {
        try
        {
            var result = ProcessRunner.RunAsync(
                new PostgresCommand("pg_config", ["--bindir"], new Dictionary<string, string>(), Environment.CurrentDirectory),
                TimeSpan.FromSeconds(10),
                CancellationToken.None).GetAwaiter().GetResult();
            return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not on PATH.
            return null;
        }
    }
}
