using System.Diagnostics;

namespace TaxiAspire.Screenshots;

/// <summary>
/// `dotnet run --project TaxiAspire.AppHost` in local mode, for as long as the screenshot takes, with its database in a
/// throwaway folder. The dashboard is signed into as a person would, through the login URL the AppHost prints.
/// </summary>
internal sealed class AppHostRun : IAsyncDisposable
{
    private const string LoginPrefix = "Login to the dashboard at ";

    private readonly Process _process;
    private readonly string _databaseFolder;
    private readonly TaskCompletionSource<Uri> _loginUrl = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostRun(Process process, string databaseFolder)
    {
        _process = process;
        _databaseFolder = databaseFolder;
    }

    public static AppHostRun StartLocal(string repository)
    {
        // Under /tmp, which the postgres OS user can reach wherever the repository lives.
        var databaseFolder = Path.Combine(Path.GetTempPath(), $"taxiaspire-screenshots-{Environment.ProcessId}");
        var start = new ProcessStartInfo("dotnet",
            ["run", "--project", "TaxiAspire.AppHost", "--", "--infrastructure", "local", "--Infrastructure:LocalPostgresDataDirectory", databaseFolder])
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        var run = new AppHostRun(Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start."), databaseFolder);
        run._process.OutputDataReceived += (_, e) => run.OnOutput(e.Data);
        run._process.ErrorDataReceived += (_, e) => run.OnOutput(e.Data);
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        Console.WriteLine($"Started the AppHost in local mode (process {run._process.Id}), database in {databaseFolder}.");
        return run;
    }

    /// <summary>The dashboard's login URL, once the AppHost prints it.</summary>
    public async Task<Uri> WaitForLoginUrlAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(_loginUrl.Task, exited).WaitAsync(timeout, cancellationToken);
        return first == _loginUrl.Task
            ? await _loginUrl.Task
            : throw new InvalidOperationException($"The AppHost exited with code {_process.ExitCode} before it printed the dashboard's login URL; its output is above.");
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        Console.WriteLine($"[apphost] {line}");
        var at = line.IndexOf(LoginPrefix, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + LoginPrefix.Length)..].Trim(), UriKind.Absolute, out var url))
        {
            _loginUrl.TrySetResult(url);
        }
    }

    /// <summary>
    /// Stops the AppHost as Ctrl+C would: `dotnet run` passes SIGTERM on to it, and it stops every service, DCP and
    /// PostgreSQL. Killed only if it has not gone within half a minute.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) ?? throw new InvalidOperationException("kill did not start."))
            {
                await kill.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("The AppHost did not stop within 30 s of SIGTERM; killing its process tree.");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        if (Directory.Exists(_databaseFolder))
        {
            Directory.Delete(_databaseFolder, recursive: true);
        }

        Console.WriteLine("Stopped the AppHost.");
    }
}
