namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>The MLflow tracking server container; services get its base URL as the <c>mlflow</c> connection string.</summary>
public sealed class MlflowServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string HttpEndpointName = "http";

    private EndpointReference? _http;

    public EndpointReference HttpEndpoint => _http ??= new EndpointReference(this, HttpEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{HttpEndpoint.Property(EndpointProperty.Url)}");
}
