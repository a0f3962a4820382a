namespace TaxiAspire.LocalInfrastructure.Kafka;

/// <summary>A mock broker as the cluster's metadata advertises it.</summary>
public sealed record MockBroker(int Id, string Host, int Port)
{
    public string Address => $"{Host}:{Port}";
}
