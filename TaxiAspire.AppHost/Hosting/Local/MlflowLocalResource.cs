namespace TaxiAspire.AppHost.Hosting.Local;

/// <summary>
/// Local mode's model registry without an <c>mlflow</c> executable: a folder owned by the AppHost
/// (<c>.local-infra/model-registry</c>), handed to services as a <c>file://</c> connection string.
/// </summary>
public sealed class LocalModelRegistryResource(string name, string directory) : Resource(name), IResourceWithConnectionString
{
    public string Directory { get; } = directory;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{new Uri(Directory).AbsoluteUri}");
}

/// <summary>Local mode's MLflow when one is on PATH: <c>mlflow server</c> on 127.0.0.1 with a SQLite store under .local-infra.</summary>
public sealed class LocalMlflowServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string HttpEndpointName = "http";

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{new EndpointReference(this, HttpEndpointName).Property(EndpointProperty.Url)}");
}
