namespace TaxiAspire.AppHost.Tests;

/// <summary>
/// The dashboard on free ports, as under `dotnet run`, so the services' telemetry has somewhere to go: exporting to an
/// absent endpoint, a service takes ~12 s to stop, past the orchestrator's stop timeout.
/// </summary>
internal static class DashboardArguments
{
    public static string[] OnFreePorts() =>
    [
        "--ASPNETCORE_URLS", $"http://127.0.0.1:{FreePort.Next()}",
        "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", $"http://127.0.0.1:{FreePort.Next()}",
        "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", $"http://127.0.0.1:{FreePort.Next()}",
        "--ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true",
    ];
}
