using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TaxiAspire.LocalInfrastructure.Postgres;

/// <summary>
/// A PostgreSQL server from the machine's binaries in a folder of its own. Either supervised from outside (the
/// AppHost runs <see cref="GetForegroundCommandAsync"/>) or started and stopped here with pg_ctl (test fixtures).
/// </summary>
public sealed partial class LocalPostgresServer : IAsyncDisposable
{
    public const string SuperUser = "postgres";
    public const string Host = "127.0.0.1";

    private const string SettingsFileName = "taxiaspire.conf";
    private const int MaxSocketPathLength = 100;
    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan PgCtlTimeout = TimeSpan.FromSeconds(90);

    private readonly LocalPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PostgresBinaries? _binaries;
    private ServerAccount? _account;
    private string? _password;
    private bool _startedHere;
    private bool _disposed;

    private LocalPostgresServer(LocalPostgresOptions options, string rootDirectory, int port, ILogger logger)
    {
        _options = options;
        _logger = logger;
        RootDirectory = rootDirectory;
        Port = port;
        SocketDirectory = ChooseSocketDirectory(rootDirectory);
    }

    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>Kept beside the data folder so a later run reuses the password initdb was given.</summary>
    public string PasswordFile => Path.Combine(RootDirectory, "password");

    public string LogFile => Path.Combine(RootDirectory, "postgres.log");

    public string SocketDirectory { get; }

    public int Port { get; }

    public bool IsInitialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    /// <summary>The superuser's password; known once <see cref="EnsureInitializedAsync"/> ran.</summary>
    public string Password => _password ?? throw new InvalidOperationException(
        "The server is not initialized yet: call EnsureInitializedAsync (or StartAsync) first.");

    /// <summary>Superuser connection to the <c>postgres</c> maintenance database.</summary>
    public string ConnectionString => GetConnectionString("postgres");

    /// <summary>
    /// Prepares a server without touching the machine: folders, initdb and processes happen in
    /// <see cref="EnsureInitializedAsync"/> and <see cref="StartAsync"/>.
    /// </summary>
    public static LocalPostgresServer Create(LocalPostgresOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = options.RootDirectory is { } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Path.GetTempPath(), "taxiaspire-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var port = options.Port == 0 ? FreeTcpPort() : options.Port;
        return new LocalPostgresServer(options, root, port, logger ?? NullLogger.Instance);
    }

    public string GetConnectionString(string database) =>
        $"Host={Host};Port={Port.ToString(CultureInfo.InvariantCulture)};Username={SuperUser};Password={Password};Database={database}";

    /// <summary>
    /// Runs initdb once (superuser <c>postgres</c> with a generated password, scram-sha-256 over TCP, trust on the
    /// private Unix socket, UTF8) and rewrites this server's settings. Stops a server a previous run left behind on
    /// the same data folder.
    /// </summary>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _binaries ??= PostgresBinaries.Locate(_options.BinDirectory);
            _account ??= await ServerAccount.ResolveAsync(_options.OsUser, cancellationToken);

            Directory.CreateDirectory(RootDirectory);
            Directory.CreateDirectory(SocketDirectory);
            await _account.GiveOwnershipAsync([RootDirectory, SocketDirectory], cancellationToken);
            await _account.EnsureCanUseAsync(RootDirectory, cancellationToken);

            if (IsInitialized)
            {
                _password = await ReadPasswordAsync(cancellationToken);
                await StopLeftoverServerAsync(cancellationToken);
            }
            else
            {
                _password = await CreatePasswordAsync(cancellationToken);
                await InitDbAsync(cancellationToken);
            }

            await WriteSettingsAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The foreground server process (<c>postgres -D data -p port</c>, switched to the service account when root)
    /// for a supervisor that owns its lifetime: it must stop it with SIGTERM/SIGINT, never only kill the switcher.
    /// </summary>
    public async Task<PostgresCommand> GetForegroundCommandAsync(CancellationToken cancellationToken = default)
    {
        _binaries ??= PostgresBinaries.Locate(_options.BinDirectory);
        _account ??= await ServerAccount.ResolveAsync(_options.OsUser, cancellationToken);
        return _account.Wrap(new PostgresCommand(
            _binaries.Postgres,
            ["-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>(),
            RootDirectory));
    }

    /// <summary>Initializes if needed and starts the server in the background with pg_ctl, waiting until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        await PgCtlAsync(["start", "-w", "-t", "60", "-l", LogFile, "-D", DataDirectory], cancellationToken);
        _startedHere = true;
        LogStarted(_logger, Port, DataDirectory);
    }

    /// <summary>Fast shutdown (rolls back open transactions, disconnects clients) and waits for the server to exit.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => StopAsync("fast", cancellationToken);

    /// <summary>
    /// Immediate shutdown: every server process quits at once, with no shutdown checkpoint and without writing WAL
    /// still in memory, as in a crash; the next start runs crash recovery.
    /// </summary>
    public Task CrashAsync(CancellationToken cancellationToken = default) => StopAsync("immediate", cancellationToken);

    private async Task StopAsync(string mode, CancellationToken cancellationToken)
    {
        if (!_startedHere || _account is null)
        {
            return;
        }

        var pid = ReadPostmasterProcessId();
        await PgCtlAsync(["stop", "-w", "-t", "60", "-m", mode, "-D", DataDirectory], cancellationToken);
        _startedHere = false;

        // pg_ctl returns once postmaster.pid is gone, a moment before the process itself has exited.
        for (var waited = 0; pid is { } p && IsProcessAlive(p) && waited < 100; waited++)
        {
            await Task.Delay(100, cancellationToken);
        }

        LogStopped(_logger, Port);
    }

    /// <summary>Stops a server started here; a throwaway server's folder is removed as well.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            _disposed = true;
            _gate.Dispose();
            if (_options.IsThrowaway)
            {
                DeleteQuietly(RootDirectory);
                DeleteQuietly(SocketDirectory);
            }
        }
    }

    /// <summary>The postmaster's process id while one runs on this data folder (from postmaster.pid).</summary>
    public int? ReadPostmasterProcessId()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(firstLine, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        LogInitializing(_logger, DataDirectory);
        List<string> arguments =
        [
            "-D", DataDirectory,
            "-U", SuperUser,
            $"--pwfile={PasswordFile}",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "--encoding=UTF8",
            // C collation: identical on every machine and fast; the schema does not sort by natural language.
            "--locale=C",
        ];
        if (!_options.Fsync)
        {
            arguments.Add("--no-sync");
        }

        try
        {
            await ProcessRunner.RunCheckedAsync(Command(_binaries!.InitDb, arguments), InitDbTimeout, cancellationToken);
        }
        catch
        {
            // A half-made data folder would be taken for an initialized one next time.
            DeleteQuietly(DataDirectory);
            throw;
        }
    }

    private async Task WriteSettingsAsync(CancellationToken cancellationToken)
    {
        var settings = new StringBuilder()
            .AppendLine("# Written by TaxiAspire.LocalInfrastructure on every start; edit LocalPostgresOptions instead.")
            .AppendLine(CultureInfo.InvariantCulture, $"listen_addresses = '{Host}'")
            .AppendLine(CultureInfo.InvariantCulture, $"port = {Port}")
            .AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{(OperatingSystem.IsWindows() ? string.Empty : SocketDirectory)}'")
            .AppendLine("max_connections = 200")
            .AppendLine(CultureInfo.InvariantCulture, $"fsync = {(_options.Fsync ? "on" : "off")}");
        if (!_options.Fsync)
        {
            settings.AppendLine("synchronous_commit = off").AppendLine("full_page_writes = off");
        }

        var settingsPath = Path.Combine(DataDirectory, SettingsFileName);
        await File.WriteAllTextAsync(settingsPath, settings.ToString(), cancellationToken);

        var mainConfig = Path.Combine(DataDirectory, "postgresql.conf");
        var include = $"include_if_exists = '{SettingsFileName}'";
        var lines = await File.ReadAllLinesAsync(mainConfig, cancellationToken);
        if (!lines.Contains(include, StringComparer.Ordinal))
        {
            await File.AppendAllTextAsync(mainConfig, Environment.NewLine + include + Environment.NewLine, cancellationToken);
        }

        await _account!.GiveOwnershipAsync([settingsPath, mainConfig], cancellationToken);
    }

    private async Task<string> ReadPasswordAsync(CancellationToken cancellationToken)
    {
        if (_options.IsThrowaway || !File.Exists(PasswordFile))
        {
            throw new PostgresUnavailableException(
                $"'{DataDirectory}' is initialized but its password file '{PasswordFile}' is missing. Delete " +
                $"'{RootDirectory}' to start over with a fresh server.");
        }

        return (await File.ReadAllTextAsync(PasswordFile, cancellationToken)).Trim();
    }

    private async Task<string> CreatePasswordAsync(CancellationToken cancellationToken)
    {
        // Letters and digits only: nothing to escape in connection strings or URLs.
        var password = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);
        await File.WriteAllTextAsync(PasswordFile, password + "\n", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // initdb reads it as the service account.
        await _account!.GiveOwnershipAsync([PasswordFile], cancellationToken);
        return password;
    }

    /// <summary>A postmaster left running on this folder (a crashed AppHost) would hold the port and the lock.</summary>
    private async Task StopLeftoverServerAsync(CancellationToken cancellationToken)
    {
        if (ReadPostmasterProcessId() is not { } pid || !IsProcessAlive(pid))
        {
            return;
        }

        LogStoppingLeftover(_logger, pid, DataDirectory);
        await PgCtlAsync(["stop", "-w", "-t", "60", "-m", "fast", "-D", DataDirectory], cancellationToken);
    }

    private async Task PgCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        await ProcessRunner.RunCheckedAsync(Command(_binaries!.PgCtl, arguments), PgCtlTimeout, cancellationToken);

    private PostgresCommand Command(string program, IReadOnlyList<string> arguments) =>
        _account!.Wrap(new PostgresCommand(
            program,
            arguments,
            // Messages in English whatever the machine's locale, so errors read the same in logs.
            new Dictionary<string, string> { ["LC_MESSAGES"] = "C" },
            RootDirectory));

    private static string ChooseSocketDirectory(string root)
    {
        var inside = Path.Combine(root, "sockets");
        // Unix socket paths are limited to ~107 bytes; ".s.PGSQL.NNNNN" is appended to the folder.
        if (inside.Length + 16 <= MaxSocketPathLength)
        {
            return inside;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12];
        return Path.Combine(Path.GetTempPath(), "taxiaspire-pg-sock-" + hash);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsProcessAlive(int pid)
    {
        // A zombie has exited; only its parent (init, for pg_ctl's daemon) has yet to reap it.
        var stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var text = File.ReadAllText(stat);
                var state = text[(text.LastIndexOf(')') + 2)..].FirstOrDefault();
                return state is not ('Z' or 'X');
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(_logger, directory, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Initializing PostgreSQL data folder {DataDirectory}")]
    private static partial void LogInitializing(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL started on 127.0.0.1:{Port} ({DataDirectory})")]
    private static partial void LogStarted(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL on port {Port} stopped")]
    private static partial void LogStopped(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping PostgreSQL {Pid} left running on {DataDirectory}")]
    private static partial void LogStoppingLeftover(ILogger logger, int pid, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Directory}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string directory, string reason);
}
