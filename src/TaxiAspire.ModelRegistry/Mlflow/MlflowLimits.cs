namespace TaxiAspire.ModelRegistry.Mlflow;

/// <summary>MLflow's documented request limits for <c>runs/log-batch</c> and entity sizes.</summary>
public static class MlflowLimits
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>Param values longer than this are refused by older servers (6000 since MLflow 2.x); stay under the older bound.</summary>
    public const int MaxParamValueLength = 500;

    public const int MaxKeyLength = 250;

    /// <summary>All backends accept tag values of this size.</summary>
    public const int MaxTagValueLength = 5000;
}
