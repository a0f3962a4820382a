using System.Diagnostics;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>
/// Asks the container runtime Aspire would use (docker, or podman via ASPIRE_CONTAINER_RUNTIME) whether its engine
/// answers. Plain <c>info</c>, no template: both clients exit non-zero when their engine does not answer, while a
/// template field such as Docker's <c>.ServerVersion</c> does not exist in Podman's output and fails every Podman.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static bool EngineAnswers() => EngineAnswers(
        Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME")
        ?? Environment.GetEnvironmentVariable("DOTNET_ASPIRE_CONTAINER_RUNTIME")
        ?? "docker");

    /// <summary>Whether <paramref name="runtime"/> (a client on PATH, or its full path) reaches its engine.</summary>
    public static bool EngineAnswers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            // Drained, never read: a full pipe would block the client before it exits.
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the client is not installed
        }
    }
}
