using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Api.Security;

/// <summary>Cross-origin access: closed (no CORS headers at all) unless origins are listed.</summary>
public sealed class CorsSettings
{
    public const string SectionName = "Cors";

    /// <summary>Origins allowed to call the API from a browser, e.g. <c>https://ops.example.com</c>.</summary>
    public IList<string> AllowedOrigins { get; } = [];
}

/// <summary>How often one client may call <c>POST /api/predict</c>.</summary>
public sealed class PredictRateLimitOptions
{
    public const string SectionName = "RateLimiting:Predict";

    public const string PolicyName = "predict";

    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
