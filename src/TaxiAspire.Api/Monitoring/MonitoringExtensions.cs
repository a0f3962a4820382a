namespace TaxiAspire.Api.Monitoring;

internal static class MonitoringExtensions
{
    /// <summary>The once-a-second pipeline snapshot behind <c>/api/stats</c> and the dashboard.</summary>
    public static IHostApplicationBuilder AddPipelineMonitoring(this IHostApplicationBuilder builder)
    {
        // Consumer lag needs the broker's high watermarks; without a Kafka connection lag is reported as unknown.
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("kafka")))
        {
            builder.AddKafkaConsumer<byte[]?, byte[]?>("kafka", configureConfig: config =>
            {
                config.GroupId = "taxiaspire-api-lag";
                config.EnableAutoCommit = false;
            });
            builder.Services.AddSingleton<IHighWatermarks, KafkaHighWatermarks>();
        }
        else
        {
            builder.Services.AddSingleton<IHighWatermarks, NoHighWatermarks>();
        }

        builder.Services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PipelineMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PipelineMonitor>());
        return builder;
    }
}
