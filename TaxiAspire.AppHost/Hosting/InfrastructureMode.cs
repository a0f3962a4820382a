namespace TaxiAspire.AppHost.Hosting;

/// <summary>Where Kafka, PostgreSQL and MLflow come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers, local otherwise.</summary>
    Auto,

    /// <summary>Kafka, Kafka UI, PostgreSQL and pgweb as containers.</summary>
    Containers,

    /// <summary>librdkafka's mock cluster inside the AppHost and the machine's PostgreSQL binaries.</summary>
    Local,

    /// <summary>The user's own Kafka, PostgreSQL and MLflow, named by connection strings; never chosen by auto.</summary>
    Existing,
}
