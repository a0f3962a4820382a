namespace TaxiAspire.LocalInfrastructure.Kafka;

/// <summary>A topic the mock cluster creates at start (the mock does not serve CreateTopics requests).</summary>
public sealed record MockTopic(string Name, int Partitions = 1);
