using Microsoft.Extensions.Configuration;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>
/// The AppHost's own knobs, from configuration (appsettings, <c>Infrastructure__Mode=local</c>-style environment
/// variables, or the command line: <c>--infrastructure local</c>, <c>--Infrastructure:KafkaPort 19092</c>).
/// </summary>
public sealed record InfrastructureSettings(
    InfrastructureMode RequestedMode,
    int KafkaPort,
    int PostgresPort,
    int ApiPort,
    int ProcessorReplicas,
    bool DataVolumes,
    string? LocalPostgresDataDirectory)
{
    public static InfrastructureSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Infrastructure");
        var modeText = configuration["infrastructure"] ?? section["Mode"] ?? nameof(InfrastructureMode.Auto);
        if (!Enum.TryParse<InfrastructureMode>(modeText, ignoreCase: true, out var mode))
        {
            throw new InvalidOperationException($"Unknown infrastructure mode '{modeText}'. Use containers, local, existing or auto.");
        }

        return new InfrastructureSettings(
            mode,
            section.GetValue("KafkaPort", 9092),
            section.GetValue("PostgresPort", 5432),
            section.GetValue("ApiPort", 5080),
            configuration.GetValue("StreamProcessor:Replicas", 2),
            section.GetValue("DataVolumes", false),
            section["LocalPostgresDataDirectory"]);
    }
}
