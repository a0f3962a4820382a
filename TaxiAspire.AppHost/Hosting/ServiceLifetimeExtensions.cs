using System.Globalization;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>
/// Hands every project this AppHost's process id, so a service stops itself when the AppHost is gone (ServiceDefaults'
/// <c>AppHostWatchdog</c>). Aspire runs each project under a <c>dotnet run</c> that its orchestrator (DCP) stops with
/// SIGTERM, then SIGKILL 6 s later; a killed <c>dotnet run</c>, or a killed AppHost whose DCP did not finish cleaning
/// up, leaves the service behind with nobody to stop it. Aspire offers no such watch for projects itself.
/// </summary>
internal static class ServiceLifetimeExtensions
{
    // Binds to ServiceLifetimeOptions.AppHostProcessId in TaxiAspire.ServiceDefaults, which the AppHost does not reference.
    private const string AppHostProcessIdVariable = "ServiceLifetime__AppHostProcessId";

    /// <summary>Call after every project is added.</summary>
    public static IDistributedApplicationBuilder StopProjectsWithAppHost(this IDistributedApplicationBuilder builder)
    {
        var processId = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(AppHostProcessIdVariable, processId);
        }

        return builder;
    }
}
