using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TaxiAspire.Producer.Publishing;
using TaxiAspire.Producer.Replay;
using TaxiAspire.Producer.Simulation;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Producer.Cli;

/// <summary>
/// <c>simulate</c> and <c>replay</c>: bounded or endless runs into Kafka from a terminal or a script, e.g.
/// <c>dotnet run --project src/TaxiAspire.Producer -- simulate --backfill-days 7</c>.
/// </summary>
internal static partial class ProducerCli
{
    private const string DefaultBootstrapServers = "localhost:9092";
    private const string DefaultTopic = "taxi_trips";

    public static bool IsCommandLine(string[] args) =>
        args.Length > 0 && args[0] is "simulate" or "replay" or "--help" or "-h" or "-?";

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        BuildCommand().Parse(args).InvokeAsync(new InvocationConfiguration(), cancellationToken);

    private static RootCommand BuildCommand()
    {
        var bootstrap = new Option<string>("--bootstrap-servers")
        {
            Description = "Kafka bootstrap servers.",
            DefaultValueFactory = _ => DefaultBootstrapServers,
            Recursive = true,
        };
        var topic = new Option<string>("--topic") { Description = "Topic to publish to.", DefaultValueFactory = _ => DefaultTopic, Recursive = true };
        var rate = new Option<double?>("--rate") { Description = "Trips per second (default: as fast as possible for bounded runs, 20 for endless ones)." };
        rate.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is <= 0) r.AddError("--rate must be positive."); });

        var root = new RootCommand("TaxiAspire trip producer: NYC trip simulator and trip-file replay into Kafka.");
        root.Options.Add(bootstrap);
        root.Options.Add(topic);
        root.Subcommands.Add(SimulateCommand(bootstrap, topic, rate));
        root.Subcommands.Add(ReplayCommand(bootstrap, topic, rate));
        return root;
    }

    private static Command SimulateCommand(Option<string> bootstrap, Option<string> topic, Option<double?> rate)
    {
        var count = new Option<long?>("--count") { Description = "Stop after this many trips." };
        var backfill = new Option<double?>("--backfill-days") { Description = "Generate this many days of history, ending now, as fast as possible (or at --rate)." };
        var tripsPerDay = new Option<double>("--trips-per-day") { Description = "Backfill demand: average trips a day.", DefaultValueFactory = _ => 100_000 };
        var speed = new Option<double>("--speed") { Description = "Live event clock acceleration (60 = an hour a minute).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Simulator seed: the same seed gives the same trips.", DefaultValueFactory = _ => 42 };
        var dirty = DirtyRatioOption(0.01);
        count.Validators.Add(r => { if (r.GetValueOrDefault<long?>() is <= 0) r.AddError("--count must be positive."); });
        backfill.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is <= 0) r.AddError("--backfill-days must be positive."); });
        tripsPerDay.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) r.AddError("--trips-per-day must be positive."); });
        speed.Validators.Add(r => { if (r.GetValueOrDefault<double>() < 1) r.AddError("--speed must be at least 1."); });

        var command = new Command("simulate", "Publish simulated NYC yellow-cab trips.") { rate, count, backfill, tripsPerDay, speed, seed, dirty };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var days = parse.GetValue(backfill);
            var limit = parse.GetValue(count);
            // Endless live runs default to a demo pace; bounded runs go as fast as possible unless told otherwise.
            var pace = parse.GetValue(rate) ?? (days is null && limit is null ? 20 : null);
            var settings = new ProducerRunSettings(parse.GetRequiredValue(bootstrap), parse.GetRequiredValue(topic), parse.GetValue(seed), parse.GetValue(dirty))
            {
                Tracing = pace is not null,
            };
            return await RunAsync(settings, pace, run =>
            {
                if (days is { } d)
                {
                    var end = run.Zone.ToWallClock(run.Time.GetUtcNow());
                    end = end.AddTicks(-(end.Ticks % TimeSpan.TicksPerSecond));
                    var slices = new BackfillSlices(end.AddDays(-d), end, parse.GetValue(tripsPerDay), DemandProfile.NewYork, settings.Seed);
                    var total = limit is { } l ? Math.Min(l, slices.ExpectedTrips) : slices.ExpectedTrips;
                    if (pace is null)
                    {
                        var backfill = new ParallelBackfill(run.Sink, run.Validation, run.Zone, run.Time);
                        return new RunPlan(total, (progress, ct) => backfill.RunAsync(slices, settings.DirtyRatio, limit, Environment.ProcessorCount, progress, ct));
                    }

                    return RunPlan.Stream(run, TripSources.Backfill(slices), pace, limit, total);
                }

                var simulator = TripSimulator.ForLiveRun(settings.Seed, run.Time.GetUtcNow());
                return RunPlan.Stream(run, TripSources.Live(simulator, new LiveEventClock(run.Time, run.Zone, parse.GetValue(speed))), pace, limit, limit);
            }, cancellationToken);
        });
        return command;
    }

    private static Command ReplayCommand(Option<string> bootstrap, Option<string> topic, Option<double?> rate)
    {
        var file = new Argument<FileInfo>("file") { Description = "A taxi-fare CSV (ML.NET sample schema) or a TLC yellow-taxi .parquet file." };
        file.AcceptExistingOnly();
        var limit = new Option<long?>("--limit") { Description = "Stop after this many rows." };
        var shift = new Option<bool>("--shift-to-now") { Description = "Move event times so the replayed trips land at the current time." };
        var seed = new Option<int>("--seed") { Description = "Seed of the dirty-data choice.", DefaultValueFactory = _ => 42 };
        var dirty = DirtyRatioOption(0);
        limit.Validators.Add(r => { if (r.GetValueOrDefault<long?>() is <= 0) r.AddError("--limit must be positive."); });

        var command = new Command("replay", "Publish the trips of a real trip file, row by row.") { file, rate, limit, shift, seed, dirty };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file).FullName;
            var pace = parse.GetValue(rate);
            var settings = new ProducerRunSettings(parse.GetRequiredValue(bootstrap), parse.GetRequiredValue(topic), parse.GetValue(seed), parse.GetValue(dirty))
            {
                Tracing = pace is not null,
            };
            var rows = parse.GetValue(limit);
            return await RunAsync(settings, pace, run =>
            {
                var timeline = new ReplayTimeline(
                    Path.GetFileNameWithoutExtension(path), parse.GetValue(shift), new LiveEventClock(run.Time, run.Zone, 1), ReplayTimeline.DefaultStart);
                return RunPlan.Stream(run, TripSources.Replay(path, timeline, cancellationToken), pace, rows, rows);
            }, cancellationToken);
        });
        return command;
    }

    private static Option<double> DirtyRatioOption(double defaultRatio)
    {
        var option = new Option<double>("--dirty-ratio")
        {
            Description = "Share of messages spoiled on purpose, one defect per processor reject reason in turn (0.01 = 1 %).",
            DefaultValueFactory = _ => defaultRatio,
        };
        option.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0 or > 1) r.AddError("--dirty-ratio must lie between 0 and 1."); });
        return option;
    }

    private static async Task<int> RunAsync(
        ProducerRunSettings settings, double? pace, Func<ProducerRunHost, RunPlan> plan, CancellationToken cancellationToken)
    {
        var bar = BarProgress.Supported;
        await using var run = await ProducerRunHost.StartAsync(settings with { QuietConsole = bar }, cancellationToken);
        var logger = run.LoggerFactory.CreateLogger(typeof(ProducerCli).FullName!);
        var (total, execute) = plan(run);
        LogStarting(logger, settings.Topic, settings.BootstrapServers, pace, settings.DirtyRatio);

        RunSummary summary;
        if (bar)
        {
            summary = await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("starting", maxValue: total ?? 1);
                    task.IsIndeterminate = total is null;
                    return await execute(new BarProgress(task), cancellationToken);
                });
            AnsiConsole.MarkupLineInterpolated(
                CultureInfo.InvariantCulture,
                $"Published [bold]{summary.Trips:N0}[/] trips ({summary.Dirty:N0} dirty) to {settings.Topic} in {summary.Elapsed.TotalSeconds:F1} s = {summary.TripsPerSecond:N0} trips/s; delivery failures {summary.DeliveryFailures}, undelivered {summary.Undelivered}");
        }
        else
        {
            summary = await execute(new LogProgress(logger, run.Time, total), cancellationToken);
        }

        LogSummary(logger, summary.Trips, summary.Dirty, settings.Topic, summary.Elapsed.TotalSeconds, summary.TripsPerSecond,
            summary.DeliveryFailures, summary.Undelivered);
        return summary.DeliveryFailures == 0 && summary.Undelivered == 0 ? 0 : 1;
    }

    /// <summary>How many trips a run expects (null: unknown) and how to run it.</summary>
    private sealed record RunPlan(long? Total, Func<IRunProgress, CancellationToken, Task<RunSummary>> Execute)
    {
        public static RunPlan Stream(ProducerRunHost run, IAsyncEnumerable<TripEvent> trips, double? pace, long? limit, long? total) =>
            new(total, (progress, ct) => run.Stream.RunAsync(trips, new RatePacer(run.Time, pace), limit, progress, ct));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing to {Topic} at {BootstrapServers}, rate {Rate} trips/s (empty: as fast as possible), dirty ratio {DirtyRatio}")]
    private static partial void LogStarting(ILogger logger, string topic, string bootstrapServers, double? rate, double dirtyRatio);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Published {Trips} trips ({Dirty} dirty) to {Topic} in {Seconds:F1} s = {Rate:F0} trips/s; delivery failures {Failures}, undelivered {Undelivered}")]
    private static partial void LogSummary(ILogger logger, long trips, long dirty, string topic, double seconds, double rate, long failures, int undelivered);
}
