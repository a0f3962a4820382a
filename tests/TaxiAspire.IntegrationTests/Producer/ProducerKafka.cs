using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace TaxiAspire.IntegrationTests.Producer;

/// <summary>Reading a topic back for the producer tests: with kafka-python (a non-.NET client) or with Confluent.</summary>
internal static class ProducerKafka
{
    /// <summary>Debian's interpreter, where python3-kafka is installed (a pyenv python3 on PATH may lack it).</summary>
    public const string Python = "/usr/bin/python3";

    public static string UniqueTopic(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public sealed record ReadMessage(int Partition, long Offset, string? Key, byte[] Value, JsonElement? Parsed);

    public static async Task<IReadOnlyList<ReadMessage>> ReadWithPythonAsync(string bootstrap, string topic, int expected, CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Producer", "read_topic.py");
        var output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { script, bootstrap, topic, expected.ToString(System.Globalization.CultureInfo.InvariantCulture), output })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            Assert.True(process.ExitCode == 0, $"kafka-python reader exited {process.ExitCode}: {await stdout} {await stderr}");

            var messages = new List<ReadMessage>();
            foreach (var line in await File.ReadAllLinesAsync(output, cancellationToken))
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var parsed = root.GetProperty("parsed");
                messages.Add(new ReadMessage(
                    root.GetProperty("partition").GetInt32(),
                    root.GetProperty("offset").GetInt64(),
                    root.GetProperty("key").GetString(),
                    Convert.FromBase64String(root.GetProperty("value_b64").GetString()!),
                    parsed.ValueKind == JsonValueKind.Null ? null : parsed.Clone()));
            }

            return messages;
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Every message of a one-partition topic, in offset order, through Confluent's consumer.</summary>
    public static List<ConsumeResult<string, byte[]>> ReadAll(string bootstrap, string topic, int expected, TimeSpan deadline)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"producer-tests-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var results = new List<ConsumeResult<string, byte[]>>();
        var watch = Stopwatch.StartNew();
        while (results.Count < expected && watch.Elapsed < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }

    public static string Text(byte[] value) => Encoding.UTF8.GetString(value);
}
