using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using TaxiAspire.ModelRegistry;

namespace TaxiAspire.Scoring;

/// <summary>
/// Follows the registry's <c>champion</c> alias: reads it every <see cref="ScoringOptions.ReloadInterval"/> and, when
/// it points at another version, downloads and loads that model and swaps it into the <see cref="ChampionHolder"/>.
/// Scorers never wait for this: until a champion loads they see none (the processor stores trips unscored, the API
/// answers 503); when a load fails, the previous model stays.
/// </summary>
internal sealed partial class ChampionModelLoader(
    IModelRegistry registry,
    ChampionHolder holder,
    IOptions<ScoringOptions> options,
    TimeProvider timeProvider,
    ILogger<ChampionModelLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.ReloadInterval, timeProvider);
        do
        {
            try
            {
                await RefreshAsync(settings.ModelName, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The registry is unreachable or the file unreadable: keep scoring with what we have.
                LogRefreshFailed(logger, holder.Current?.Version, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task RefreshAsync(string modelName, CancellationToken cancellationToken)
    {
        var champion = await registry.GetByAliasAsync(modelName, ModelRegistryConventions.ChampionAlias, cancellationToken);
        var current = holder.Current;
        if (champion is null)
        {
            if (current is not null)
            {
                LogChampionRemoved(logger, current.Version);
                holder.Set(null);
            }

            return;
        }

        if (current?.Version == champion.Version)
        {
            return;
        }

        using var file = new MemoryStream();
        await registry.DownloadModelAsync(champion, file, cancellationToken);
        file.Position = 0;
        var model = new MLContext().Model.Load(file, out _);
        holder.Set(new ChampionModel(modelName, champion.Version, model));
        LogChampionLoaded(logger, modelName, champion.Version, current?.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring with {Model} version {Version} (was {Previous})")]
    private static partial void LogChampionLoaded(ILogger logger, string model, string version, string? previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The champion alias is gone; nothing is scored until one is promoted again (was version {Version})")]
    private static partial void LogChampionRemoved(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the champion failed; still scoring with version {Version}")]
    private static partial void LogRefreshFailed(ILogger logger, string? version, Exception exception);
}
