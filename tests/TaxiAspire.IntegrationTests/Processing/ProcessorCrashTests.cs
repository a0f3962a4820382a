using System.Diagnostics;
using TaxiAspire.IntegrationTests.Infrastructure;

namespace TaxiAspire.IntegrationTests.Processing;

/// <summary>The real service process, SIGKILLed mid-stream and started again: nothing lost, nothing doubled.</summary>
public class ProcessorCrashTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task A_processor_killed_mid_stream_twice_loses_and_doubles_nothing_and_windows_equal_recomputation()
    {
        var scenario = await ProcessorScenario.CreateAsync(kafka, postgres);
        const int messages = 30_000;
        var producing = scenario.ProduceAsync(0, messages, 20);
        var kills = 0;
        var random = new Random(4);

        for (var round = 0; round < 2; round++)
        {
            using var child = StartChild(scenario);
            await WaitForProgressAsync(scenario, minimum: 2_000 * (round + 1));
            // A random moment inside a batch: between 0 and 300 ms after progress was seen. A fault-injection point,
            // not a wait: no assertion depends on it, only where in its work the kill lands.
            await Task.Delay(random.Next(0, 300), TestContext.Current.CancellationToken);
            child.Kill(entireProcessTree: true); // SIGKILL: no shutdown hook runs
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
            kills++;
        }

        await producing;
        using (var survivor = StartChild(scenario))
        {
            await scenario.WaitUntilStoredAsync(messages, TimeSpan.FromSeconds(45));
            survivor.Kill(entireProcessTree: true);
            await survivor.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, kills);
        await scenario.AssertExactlyOnceAsync(messages, 20);
    }

    private static async Task WaitForProgressAsync(ProcessorScenario scenario, long minimum) =>
        await scenario.WaitUntilStoredAsync(minimum, TimeSpan.FromSeconds(30));

    private static Process StartChild(ProcessorScenario scenario)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TaxiAspire.StreamProcessor.dll")])
        {
            UseShellExecute = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        var env = start.Environment;
        env["ConnectionStrings__kafka"] = scenario.BootstrapServers;
        env["ConnectionStrings__taxidb"] = scenario.DatabaseConnectionString;
        env["StreamProcessor__Topic"] = scenario.Topic;
        env["StreamProcessor__DeadLetterTopic"] = scenario.DeadLetterTopic;
        env["StreamProcessor__WindowsTopic"] = scenario.WindowsTopic;
        env["StreamProcessor__ConsumerGroup"] = scenario.Group;
        env["StreamProcessor__MaxBatchSize"] = "1000";
        env["StreamProcessor__MaxBatchDelay"] = "00:00:00.050";
        env["Trips__FutureTolerance"] = "30.00:00:00";
        env["Kafka__Consumer__Config__session.timeout.ms"] = "6000";
        env["Kafka__Consumer__Config__heartbeat.interval.ms"] = "500";
        env["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        env["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(start) ?? throw new InvalidOperationException("The processor did not start.");
    }
}
