namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>The MLflow image containers mode runs, pinned, and the PostgreSQL driver it installs at start.</summary>
internal static class MlflowContainerImageTags
{
    public const string Registry = "ghcr.io";
    public const string Image = "mlflow/mlflow";

    /// <summary>3.5.0 is the first release with the FastAPI server's <c>--allowed-hosts</c> host validation.</summary>
    public const string Tag = "v3.5.0";

    /// <summary>The official image ships no PostgreSQL driver; the binary wheel needs no compiler in the container.</summary>
    public const string PostgresDriver = "psycopg2-binary==2.9.10";
}
