using Microsoft.Extensions.Options;

namespace TaxiAspire.Api.Training;

internal static class TrainerExtensions
{
    /// <summary>The client that asks the trainer service for a run (<c>POST /api/admin/retrain</c>).</summary>
    public static IHostApplicationBuilder AddTrainerClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrainerClientOptions>().BindConfiguration(TrainerClientOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<TrainerClient>((sp, http) =>
        {
            if (sp.GetRequiredService<IOptions<TrainerClientOptions>>().Value.BaseAddress is { Length: > 0 } address)
            {
                http.BaseAddress = new Uri(address);
            }
        });
        return builder;
    }
}
