using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Api.Security;

/// <summary>The key that admin endpoints require; the AppHost supplies it as a secret parameter.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public const string HeaderName = "X-Api-Key";

    /// <summary>Long enough that guessing is hopeless; the AppHost generates 32 characters.</summary>
    [Required]
    [MinLength(16)]
    public string ApiKey { get; set; } = string.Empty;
}
