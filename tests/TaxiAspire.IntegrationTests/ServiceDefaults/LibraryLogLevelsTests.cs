using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.IntegrationTests.ServiceDefaults;

/// <summary>Library chatter stays below Information unless a setting asks for it; the services' own messages do not.</summary>
public sealed class LibraryLogLevelsTests
{
    [Fact]
    public void By_default_libraries_log_warnings_only_and_services_log_information()
    {
        using var host = Build([]);

        Assert.False(Enabled(host, "Npgsql.Command", LogLevel.Information));
        Assert.False(Enabled(host, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information));
        Assert.False(Enabled(host, "System.Net.Http.HttpClient.Default.LogicalHandler", LogLevel.Information));
        Assert.True(Enabled(host, "Npgsql.Command", LogLevel.Warning));
        Assert.True(Enabled(host, "Microsoft.Hosting.Lifetime", LogLevel.Information));
        Assert.True(Enabled(host, "TaxiAspire.StreamProcessor.Processing.TripStreamWorker", LogLevel.Information));
    }

    [Fact]
    public void One_library_is_raised_by_its_own_log_level()
    {
        using var host = Build(new() { ["Logging:LogLevel:Npgsql"] = "Information" });

        Assert.True(Enabled(host, "Npgsql.Command", LogLevel.Information));
        Assert.False(Enabled(host, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information));
    }

    [Fact]
    public void LibraryDetail_raises_them_all()
    {
        using var host = Build(new() { ["Logging:LibraryDetail"] = "true" });

        Assert.True(Enabled(host, "Npgsql.Command", LogLevel.Information));
        Assert.True(Enabled(host, "System.Net.Http.HttpClient.Default.LogicalHandler", LogLevel.Information));
    }

    // The settings are in place before the defaults are added, as environment variables are: they must still win.
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        return builder.Build();
    }

    private static bool Enabled(IHost host, string category, LogLevel level) =>
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category).IsEnabled(level);
}
