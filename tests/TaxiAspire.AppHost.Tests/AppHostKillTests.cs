using System.Diagnostics;
using System.Globalization;

namespace TaxiAspire.AppHost.Tests;

/// <summary>
/// The AppHost killed outright (SIGKILL: a closed terminal, a crash, an OOM kill): no service it started outlives it.
/// The AppHost runs as its own process here, from its build output, in local mode on free ports.
/// </summary>
public class AppHostKillTests
{
    private static readonly string[] Services = ["TaxiAspire.Producer", "TaxiAspire.StreamProcessor", "TaxiAspire.Trainer", "TaxiAspire.Api"];

    [Fact]
    public async Task No_service_outlives_an_AppHost_killed_with_SIGKILL()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Path.Combine(Path.GetTempPath(), $"taxiaspire-kill-{Guid.NewGuid():N}");
        using var appHost = StartAppHost(data);
        try
        {
            // Every service has started (not just its `dotnet run`), so each has an orchestrator to lose.
            await PollAsync(() => Services.All(s => ServiceProcesses(appHost.Id).Any(p => p.CommandLine.Contains(s + ".dll", StringComparison.Ordinal) || p.CommandLine.Contains("/" + s, StringComparison.Ordinal))),
                TimeSpan.FromMinutes(4), "every service was started", appHost);

            appHost.Kill();
            var killed = Stopwatch.StartNew();
            await PollAsync(() => ServiceProcesses(appHost.Id).Count == 0, TimeSpan.FromSeconds(30), "no service process was left", appHost);
            TestContext.Current.TestOutputHelper?.WriteLine($"the last service process exited {killed.Elapsed.TotalSeconds:F1} s after the AppHost was killed");
        }
        finally
        {
            // A failed run must not leave its services behind for the next test.
            foreach (var (id, _) in ServiceProcesses(appHost.Id))
            {
                try
                {
                    using var leftover = Process.GetProcessById(id);
                    leftover.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }

            await appHost.WaitForExitAsync(ct);
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static Process StartAppHost(string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                AppHostAssembly(),
                "--infrastructure", "local",
                "--Infrastructure:KafkaPort", FreePort.NextText(),
                "--Infrastructure:PostgresPort", FreePort.NextText(),
                "--Infrastructure:ApiPort", FreePort.NextText(),
                "--Infrastructure:LocalPostgresDataDirectory", dataDirectory,
            },
            WorkingDirectory = Path.GetDirectoryName(AppHostAssembly()),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // What the launch profile sets under `dotnet run`, on free ports.
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.NextText()}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.NextText()}";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.NextText()}";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The AppHost did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The processes this AppHost started for its projects: each carries the AppHost's id in its environment.</summary>
    private static List<(int Id, string CommandLine)> ServiceProcesses(int appHostId)
    {
        var marker = "\0ServiceLifetime__AppHostProcessId=" + appHostId.ToString(CultureInfo.InvariantCulture) + "\0";
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) continue;
            try
            {
                var environment = "\0" + File.ReadAllText(Path.Combine(directory, "environ"));
                if (!environment.Contains(marker, StringComparison.Ordinal)) continue;
                var state = File.ReadAllText(Path.Combine(directory, "stat"));
                if (state[(state.LastIndexOf(')') + 2)..].StartsWith('Z')) continue; // exited, not yet reaped
                found.Add((id, File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ')));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read.
            }
        }

        return found;
    }

    private static async Task PollAsync(Func<bool> condition, TimeSpan timeout, string what, Process appHost)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout, $"Not within {timeout}: {what}. Left: {string.Join("; ", ServiceProcesses(appHost.Id).Select(p => $"{p.Id} {p.CommandLine}"))}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    // The AppHost's own build output, beside this test assembly's in the same configuration.
    private static string AppHostAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TaxiAspire.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        return Path.Combine(root.FullName, "TaxiAspire.AppHost", "bin", testOutput.Parent!.Name, testOutput.Name, "TaxiAspire.AppHost.dll");
    }
}
