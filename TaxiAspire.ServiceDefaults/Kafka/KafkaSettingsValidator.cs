using Microsoft.Extensions.Options;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>Fails the host's start (ValidateOnStart) with a message naming the setting that is missing.</summary>
internal sealed class KafkaSettingsValidator : IValidateOptions<KafkaProducerSettings>, IValidateOptions<KafkaConsumerSettings>, IValidateOptions<KafkaAdminSettings>
{
    public ValidateOptionsResult Validate(string? name, KafkaProducerSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Validate(name, options, KafkaProducerSettings.SectionName, extraFailure: null);
    }

    public ValidateOptionsResult Validate(string? name, KafkaAdminSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Validate(name, options, KafkaAdminSettings.SectionName, extraFailure: null);
    }

    public ValidateOptionsResult Validate(string? name, KafkaConsumerSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var groupFailure = string.IsNullOrWhiteSpace(options.Config.GroupId)
            ? $"Kafka consumer '{name}': no group id; set {KafkaConsumerSettings.SectionName}:Config:group.id or pass it in configureConfig."
            : null;
        return Validate(name, options, KafkaConsumerSettings.SectionName, groupFailure);
    }

    private static ValidateOptionsResult Validate(string? name, KafkaClientSettings settings, string sectionName, string? extraFailure)
    {
        List<string>? failures = null;

        if (string.IsNullOrWhiteSpace(settings.ClientConfig.BootstrapServers))
        {
            (failures ??= []).Add(
                $"Kafka connection '{name}': no bootstrap servers; set ConnectionStrings:{name} (or {sectionName}:Config:bootstrap.servers).");
        }

        if (settings.HealthCheckTimeout <= TimeSpan.Zero)
        {
            (failures ??= []).Add($"Kafka connection '{name}': {nameof(KafkaClientSettings.HealthCheckTimeout)} must be positive.");
        }

        foreach (var failure in KafkaSecurityRules.Check(name, settings.ClientConfig))
        {
            (failures ??= []).Add(failure);
        }

        if (extraFailure is not null)
        {
            (failures ??= []).Add(extraFailure);
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
