using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.MigrationService;

public sealed class MigrationOptions
{
    public const string ConnectionName = "taxidb";
    public const string KafkaConnectionName = "kafka";

    [Required(ErrorMessage = "ConnectionStrings:taxidb is not set. Run the migrations through the AppHost, or set ConnectionStrings__taxidb.")]
    public string ConnectionString { get; set; } = string.Empty;
}
