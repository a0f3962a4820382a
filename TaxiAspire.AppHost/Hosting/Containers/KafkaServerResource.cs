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

    /// <summary>
    /// The listener for processes on the host. Pinned to the localhost network: without it, a reference from the
    /// broker's own environment resolves in the container network, where the port is the target port (9092), so the
    /// broker would advertise 9092 to host clients whatever host port was chosen.
    /// </summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName, KnownNetworkIdentifiers.LocalhostNetwork);

    /// <summary>The listener for other containers, on the container network.</summary>
    public EndpointReference InternalEndpoint => _internalEndpoint ??= new(this, InternalEndpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}

/// <summary>Kafka UI (kafbat) pointed at the broker's internal listener.</summary>
public sealed class KafkaUIContainerResource(string name) : ContainerResource(name);
