using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace TaxiAspire.ServiceDefaults.Logging;

/// <summary>
/// Keeps libraries' routine messages out of the logs so that the services' own are what a person reads: Npgsql logs
/// every command at Information ("Command execution completed", "Starting raw COPY operation"), which was thousands
/// of entries a minute in the Aspire dashboard.
/// </summary>
/// <remarks>
/// These are defaults, added below every other configuration source: <c>Logging:LogLevel:Npgsql=Information</c>
/// (environment variable <c>Logging__LogLevel__Npgsql</c>) still raises one library, and
/// <c>Logging:LibraryDetail=true</c> (<c>Logging__LibraryDetail</c>) leaves all of them at the default level.
/// </remarks>
public static class LibraryLogLevels
{
    public const string DetailKey = "Logging:LibraryDetail";

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        // "Now listening on …", "Application started": the one Microsoft line a person wants.
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:System.Net.Http"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Grpc"] = "Warning",
    };

    public static TBuilder AddLibraryLogLevels<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Configuration.GetValue<bool>(DetailKey))
        {
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        }

        return builder;
    }
}
