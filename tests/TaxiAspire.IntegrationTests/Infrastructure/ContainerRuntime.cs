using System.ComponentModel;
using System.Diagnostics;

namespace TaxiAspire.IntegrationTests.Infrastructure;

/// <summary>Decides between Testcontainers and the local (no container) infrastructure, once per fixture.</summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>True when <c>docker info</c> answers quickly: a container engine, not only its CLI, is there.</summary>
    public static async Task<bool> IsAvailableAsync()
    {
        var startInfo = new ProcessStartInfo("docker", "info")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return false;
            }

            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(ProbeTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            // No docker CLI on PATH.
            return false;
        }
    }
}
