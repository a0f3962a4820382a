namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>
/// A single KRaft Kafka broker in a container, configured as Aspire.Hosting.Kafka configures it: one listener for the
/// host (<see cref="PrimaryEndpointName"/>) and one for other containers (<see cref="InternalEndpointName"/>).
/// </summary>
public sealed class KafkaServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string InternalEndpointName = "internal";

    private EndpointReference? _primaryEndpoint;
    private EndpointReference? _internalEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public EndpointReference InternalEndpoint => _internalEndpoint ??= new(this, InternalEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}

/// <summary>Kafka UI (kafbat) pointed at the broker's internal listener.</summary>
public sealed class KafkaUIContainerResource(string name) : ContainerResource(name);
