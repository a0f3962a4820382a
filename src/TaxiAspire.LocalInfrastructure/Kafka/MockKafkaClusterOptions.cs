namespace TaxiAspire.LocalInfrastructure.Kafka;

public sealed record MockKafkaClusterOptions
{
    public int BrokerCount { get; init; } = 3;

    public IReadOnlyList<MockTopic> Topics { get; init; } = [];

    /// <summary>
    /// Port of the TCP forwarder on localhost that tools outside the process bootstrap through: 0 picks a free
    /// port, null runs no forwarder.
    /// </summary>
    public int? BootstrapPort { get; init; }

    /// <summary>
    /// How long the first join of a consumer group waits for more members. The mock's default (3 s) only slows
    /// tests and local runs down.
    /// </summary>
    public TimeSpan GroupInitialRebalanceDelay { get; init; } = TimeSpan.Zero;
}
