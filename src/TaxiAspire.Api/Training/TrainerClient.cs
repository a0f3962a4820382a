using Microsoft.Extensions.Options;

namespace TaxiAspire.Api.Training;

/// <summary>What asking the trainer for a run came to.</summary>
public enum RetrainOutcome
{
    Accepted,
    NotDeployed,
    Failed,
}

/// <summary>Forwards a retrain request to the trainer service.</summary>
internal sealed partial class TrainerClient(HttpClient http, IOptions<TrainerClientOptions> options, ILogger<TrainerClient> logger)
{
    public async Task<RetrainOutcome> RequestRetrainAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.BaseAddress))
        {
            return RetrainOutcome.NotDeployed;
        }

        try
        {
            using var response = await http.PostAsync(new Uri(options.Value.RetrainPath, UriKind.Relative), content: null, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return RetrainOutcome.Accepted;
            }

            LogTrainerRefused(logger, (int)response.StatusCode);
            return RetrainOutcome.Failed;
        }
        catch (HttpRequestException ex)
        {
            LogTrainerUnreachable(logger, ex);
            return RetrainOutcome.Failed;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The trainer answered the retrain request with HTTP {StatusCode}")]
    private static partial void LogTrainerRefused(ILogger logger, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The trainer could not be reached")]
    private static partial void LogTrainerUnreachable(ILogger logger, Exception exception);
}
