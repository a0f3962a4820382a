using System.Diagnostics;
using System.Globalization;

namespace TaxiAspire.BenchKit;

/// <summary>
/// The stream processor as the operating system sees it: the service's own build, started as a child process (so
/// its memory is its own and SIGKILL is a real crash), configured through environment variables.
/// </summary>
public sealed class ProcessorProcess : IDisposable
{
    private readonly Process _process;

    private ProcessorProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ProcessorProcess Start(string bootstrapServers, string databaseConnectionString, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TaxiAspire.StreamProcessor.dll")])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var env = start.Environment;
        env["ConnectionStrings__kafka"] = bootstrapServers;
        env["ConnectionStrings__taxidb"] = databaseConnectionString;
        env["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        env["DOTNET_ENVIRONMENT"] = "Production";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Kafka__Consumer__Config__session.timeout.ms"] = "6000";
        env["Kafka__Consumer__Config__heartbeat.interval.ms"] = "500";
        foreach (var (key, value) in settings)
        {
            env[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The processor did not start.");
        // Drained so a chatty child never blocks on a full pipe; warnings surface on this process's stderr.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Console.Error.WriteLine($"[processor {process.Id}] {e.Data}");
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ProcessorProcess(process);
    }

    /// <summary>Peak resident memory so far (VmHWM), in bytes; 0 when the process is gone.</summary>
    public long PeakResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Exited meanwhile.
        }

        return 0;
    }

    /// <summary>SIGKILL: no shutdown hook, no flush, no goodbye to the consumer group.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
