using System.Globalization;
using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>
/// What a client's security settings must hold together, checked before any connection is tried: a hosted Kafka
/// answers a misconfigured client with a timeout, not with the name of the setting that is wrong.
/// </summary>
internal static class KafkaSecurityRules
{
    private static readonly string[] Protocols = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
    private static readonly string[] Mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"];
    private static readonly string[] SaslSettings = ["sasl.mechanism", "sasl.mechanisms", "sasl.username", "sasl.password"];
    private static readonly string[] Credentials = ["sasl.username", "sasl.password"];
    private static readonly string[] FileSettings = ["ssl.ca.location", "ssl.certificate.location", "ssl.key.location", "ssl.keystore.location"];

    public static IEnumerable<string> Check(string? connectionName, ClientConfig config)
    {
        var prefix = $"Kafka connection '{connectionName}'";
        var protocol = (config.Get("security.protocol") ?? "PLAINTEXT").ToUpperInvariant();
        if (!Protocols.Contains(protocol))
        {
            yield return $"{prefix}: {Setting("security.protocol")} is '{config.Get("security.protocol")}'; use one of {string.Join(", ", Protocols)}.";
            yield break;
        }

        var sasl = protocol.StartsWith("SASL_", StringComparison.Ordinal);
        var mechanism = (config.Get("sasl.mechanism") ?? config.Get("sasl.mechanisms"))?.ToUpperInvariant();
        if (!sasl)
        {
            foreach (var key in SaslSettings.Where(k => config.Get(k) is { Length: > 0 }))
            {
                yield return $"{prefix}: {Setting(key)} is set but {Setting("security.protocol")} is {protocol}, which sends no credentials; set it to SASL_SSL (or SASL_PLAINTEXT).";
            }
        }
        else if (mechanism is null)
        {
            yield return $"{prefix}: {Setting("security.protocol")} is {protocol} but {Setting("sasl.mechanism")} is not set; use one of {string.Join(", ", Mechanisms)}.";
        }
        else if (!Mechanisms.Contains(mechanism))
        {
            yield return $"{prefix}: {Setting("sasl.mechanism")} is '{mechanism}'; use one of {string.Join(", ", Mechanisms)}.";
        }
        else if (mechanism is "PLAIN" or "SCRAM-SHA-256" or "SCRAM-SHA-512")
        {
            foreach (var key in Credentials.Where(k => string.IsNullOrEmpty(config.Get(k))))
            {
                yield return $"{prefix}: {Setting(key)} is not set; sasl.mechanism {mechanism} needs it (keep it out of the repository: user secrets or the environment variable Kafka__Config__{key}).";
            }
        }

        foreach (var key in FileSettings)
        {
            if (config.Get(key) is { Length: > 0 } path && !File.Exists(path))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{prefix}: {Setting(key)} names '{path}', and no such file exists.");
            }
        }
    }

    private static string Setting(string key) => $"{KafkaSettingsBinder.SharedConfigSectionName}:{key}";
}
