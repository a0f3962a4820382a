namespace TaxiAspire.LocalInfrastructure.Kafka;

/// <summary>The librdkafka mock cluster cannot run in this process (library missing, no mock API, platform).</summary>
public sealed class MockKafkaUnavailableException : Exception
{
    public MockKafkaUnavailableException()
    {
    }

    public MockKafkaUnavailableException(string message)
        : base(message)
    {
    }

    public MockKafkaUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
