namespace TaxiAspire.LocalInfrastructure.Postgres;

/// <summary>
/// The OS account PostgreSQL runs as. PostgreSQL refuses to start as root, so a root process switches to a service
/// account with setpriv (an exec, so a supervisor's signals reach postgres itself) or, without setpriv, runuser
/// (which forwards SIGTERM/SIGINT to its child).
/// </summary>
internal sealed record ServerAccount(string? UserName, string? UserId, string? GroupId, string? Switcher)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] ToolFolders = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

    public static ServerAccount Current { get; } = new(null, null, null, null);

    public bool SwitchesUser => UserName is not null;

    public static async Task<ServerAccount> ResolveAsync(string osUser, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
        {
            return Current;
        }

        var uid = await IdAsync("-u", osUser, cancellationToken);
        var gid = await IdAsync("-g", osUser, cancellationToken);
        var switcher = FindTool("setpriv") ?? FindTool("runuser")
            ?? throw new PostgresUnavailableException(
                "Running as root, PostgreSQL must be started as another user, but neither setpriv nor runuser " +
                "(util-linux) is installed: 'apt-get install util-linux', or run as a regular user.");
        return new ServerAccount(osUser, uid, gid, switcher);
    }

    /// <summary>The command as it must be launched: unchanged, or prefixed by the user switch.</summary>
    public PostgresCommand Wrap(PostgresCommand command)
    {
        if (!SwitchesUser)
        {
            return command;
        }

        IReadOnlyList<string> prefix = Path.GetFileName(Switcher) == "setpriv"
            ? [$"--reuid={UserId}", $"--regid={GroupId}", "--init-groups", "--", command.FileName]
            : ["-u", UserName!, "--", command.FileName];
        return command with { FileName = Switcher!, Arguments = [.. prefix, .. command.Arguments] };
    }

    public async Task GiveOwnershipAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        if (!SwitchesUser)
        {
            return;
        }

        await ProcessRunner.RunCheckedAsync(
            new PostgresCommand("chown", [$"{UserId}:{GroupId}", .. paths], Empty, "/"), ToolTimeout, cancellationToken);
    }

    /// <summary>Fails with a clear message when the account cannot reach and write <paramref name="directory"/>.</summary>
    public async Task EnsureCanUseAsync(string directory, CancellationToken cancellationToken)
    {
        if (!SwitchesUser)
        {
            return;
        }

        var ancestors = new List<string>();
        for (var dir = Path.GetDirectoryName(directory); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            ancestors.Insert(0, dir);
        }

        const string Script =
            "for d in \"$@\"; do [ -x \"$d\" ] || { echo \"$d\"; exit 1; }; done; " +
            "[ -w \"$TARGET\" ] && [ -x \"$TARGET\" ] || { echo \"$TARGET\"; exit 2; }";
        var check = Wrap(new PostgresCommand(
            "/bin/sh",
            ["-c", Script, "sh", .. ancestors],
            new Dictionary<string, string> { ["TARGET"] = directory },
            "/"));
        var result = await ProcessRunner.RunAsync(check, ToolTimeout, cancellationToken);
        if (result.ExitCode != 0)
        {
            var blocked = result.StandardOutput.Trim();
            throw new PostgresUnavailableException(
                $"The '{UserName}' OS user that runs PostgreSQL cannot reach '{directory}' ('{blocked}' is not " +
                $"accessible to it). Choose a data folder outside private homes (e.g. under /var/tmp), or allow " +
                $"traversal: chmod o+x '{blocked}'.");
        }
    }

    private static readonly Dictionary<string, string> Empty = [];

    private static async Task<string> IdAsync(string flag, string user, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(new PostgresCommand("id", [flag, user], Empty, "/"), ToolTimeout, cancellationToken);
        return result.ExitCode == 0
            ? result.StandardOutput.Trim()
            : throw new PostgresUnavailableException(
                $"Running as root, PostgreSQL must be started as the '{user}' OS user, which does not exist. Create " +
                $"it (installing the postgresql package does: 'apt-get install postgresql', or 'useradd --system {user}').");
    }

    private static string? FindTool(string name) =>
        ToolFolders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
}
