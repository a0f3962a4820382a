using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TaxiAspire.IntegrationTests.Stopping;

/// <summary>
/// A service run as its own process from its build output (<c>dotnet TaxiAspire.X.dll</c>), as the orchestrator runs it,
/// so a stop is measured whole: hosted services, the service provider's disposal (Kafka clients, telemetry
/// exporters) and the runtime's exit. The OTLP endpoint points at a port nobody listens on: the collector is gone.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(string project, Process process)
    {
        Project = project;
        _process = process;
    }

    public string Project { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join(Environment.NewLine, _output);

    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string> environment)
    {
        var assembly = BuildOutput(project);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly },
            WorkingDirectory = Path.GetDirectoryName(assembly),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{ClosedPort()}";
        // Export often, as under the AppHost, so there is always something in flight to the missing collector.
        start.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        start.Environment["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        start.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(project, process);
        process.OutputDataReceived += (_, e) => service.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => service.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits until the service printed <paramref name="text"/>; fails if it exits or the deadline passes first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            Assert.False(_process.HasExited, $"The service exited (code {ExitCodeOrNone()}) before printing \"{text}\":\n{Output}");
            Assert.True(deadline.Elapsed < timeout, $"The service did not print \"{text}\" within {timeout}:\n{Output}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Sends SIGTERM (what the orchestrator and <c>dotnet run</c> send) and returns how long the process took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan patience)
    {
        Assert.False(_process.HasExited, $"The service exited (code {ExitCodeOrNone()}) before it was asked to stop:\n{Output}");
        var stopping = Stopwatch.StartNew();
        Collect($"{DateTime.Now:HH:mm:ss.fff} [test] SIGTERM");
        Signal("TERM", _process.Id);
        await WaitForExitAsync(patience);
        return stopping.Elapsed;
    }

    /// <summary>Waits for the process to exit; fails if it still runs after <paramref name="patience"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The service was still running {patience} later:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>A loopback port that nothing listens on (it was free a moment ago).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Signal(string signal, int processId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
    }

    // The service's own build output, next to this test assembly's in the same configuration (Debug or Release).
    private static string BuildOutput(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TaxiAspire.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var assembly = Path.Combine(root.FullName, "src", project, "bin", configuration, framework, $"{project}.dll");
        Assert.True(File.Exists(assembly), $"{assembly} is missing; build {project} first.");
        return assembly;
    }

    private string ExitCodeOrNone() => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
