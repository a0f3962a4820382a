using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.ModelRegistry;

/// <summary>
/// Bound from the <c>ModelRegistry</c> section; the location comes from the <c>mlflow</c> connection string the
/// AppHost hands out: an <c>http(s)://</c> URL for an MLflow tracking server, a <c>file://</c> URL or a path for
/// the local registry folder.
/// </summary>
public sealed class ModelRegistryOptions
{
    public const string SectionName = "ModelRegistry";
    public const string ConnectionName = "mlflow";

    [Required]
    public string Location { get; set; } = string.Empty;

    [Required]
    public string ExperimentName { get; set; } = "taxi-fare";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>True when <see cref="Location"/> names an MLflow server rather than a folder.</summary>
    public bool IsMlflowServer => Uri.TryCreate(Location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The folder of a local registry.</summary>
    public string LocalDirectory => Uri.TryCreate(Location, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : Location;
}
