using System.ComponentModel;
using System.Diagnostics;

namespace TaxiAspire.IntegrationTests.Infrastructure;

internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a client outside .NET (kcat, python3-kafka) the way a developer would from a shell.</summary>
internal static class ExternalTool
{
    public static async Task<ToolResult> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process? started;
        try
        {
            started = Process.Start(startInfo);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"'{fileName}' is not installed; the local-mode tests need it (Debian: apt-get install -y kcat python3-kafka).", ex);
        }

        using var process = started ?? throw new InvalidOperationException($"Could not start {fileName}.");
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}: {await stderr}");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }
}
