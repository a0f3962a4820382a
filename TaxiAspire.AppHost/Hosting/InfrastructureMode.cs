namespace TaxiAspire.AppHost.Hosting;

/// <summary>Where Kafka and PostgreSQL come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers, local otherwise.</summary>
    Auto,

    /// <summary>Kafka, Kafka UI, PostgreSQL and pgweb as containers.</summary>
    Containers,

    /// <summary>librdkafka's mock cluster inside the AppHost and the machine's PostgreSQL binaries.</summary>
    Local,
}
