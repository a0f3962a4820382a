namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>The MLflow image containers mode runs, pinned.</summary>
internal static class MlflowContainerImageTags
{
    public const string Registry = "ghcr.io";
    public const string Image = "mlflow/mlflow";

    /// <summary>
    /// The <c>-full</c> variant (published from 3.9.0 on) ships the database drivers, psycopg2 among them, so the
    /// server starts without installing anything: offline and behind a proxy too. ≥ 3.5 for <c>--allowed-hosts</c>.
    /// </summary>
    public const string Tag = "v3.10.1-full";
}
