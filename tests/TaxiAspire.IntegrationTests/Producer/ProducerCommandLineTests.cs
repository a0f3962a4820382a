using System.Globalization;
using System.Text.Json;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.Producer.Cli;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Geography;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.IntegrationTests.Producer;

/// <summary>
/// The producer's command line against a real Kafka protocol endpoint, read back by kafka-python: the issue's
/// "done when" checks for the simulator and the replay.
/// </summary>
public sealed class ProducerCommandLineTests(KafkaFixture kafka)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_thousand_simulated_trips_read_back_by_kafka_python_look_like_New_York()
    {
        const int Count = 10_000;
        const double DirtyRatio = 0.01;
        var topic = ProducerKafka.UniqueTopic("simulate");
        await kafka.CreateTopicAsync(topic, partitions: 3);

        var exit = await ProducerCli.RunAsync(
            ["simulate", "--count", "10000", "--seed", "7", "--dirty-ratio", "0.01", "--bootstrap-servers", kafka.BootstrapServers, "--topic", topic], Token);
        Assert.Equal(0, exit);

        var messages = await ProducerKafka.ReadWithPythonAsync(kafka.BootstrapServers, topic, Count, Token);
        Assert.Equal(Count, messages.Count);
        Assert.Equal(Count, messages.Select(m => m.Key).Distinct().Count());

        var validator = new TripValidator(new TripValidationOptions(), TimeProvider.System);
        var valid = new List<TripEvent>();
        var invalid = 0;
        foreach (var message in messages)
        {
            var result = validator.DecodeAndValidate(message.Value);
            if (!result.IsSuccess)
            {
                invalid++;
                continue;
            }

            // What kafka-python parsed is the contract: the notebook's fields with JSON types a Python consumer can use.
            var parsed = message.Parsed ?? throw new InvalidOperationException("a valid trip that Python could not parse");
            Assert.Equal(JsonValueKind.String, parsed.GetProperty(TripFields.PickupDateTime).ValueKind);
            foreach (var field in new[] { TripFields.VendorId, TripFields.PassengerCount, TripFields.TripDistance, TripFields.PaymentType,
                TripFields.FareAmount, TripFields.TipAmount, TripFields.PickupLongitude, TripFields.PickupLatitude, TripFields.DropoffLongitude, TripFields.DropoffLatitude })
            {
                Assert.Equal(JsonValueKind.Number, parsed.GetProperty(field).ValueKind);
            }

            Assert.Equal(result.Trip.FareAmount, parsed.GetProperty(TripFields.FareAmount).GetDecimal());
            valid.Add(result.Trip);
        }

        Assert.InRange(invalid / (double)Count, DirtyRatio - 0.01, DirtyRatio + 0.01);
        Assert.True(invalid > 0, "no dirty trips at all");
        Assert.True(Correlation(valid.Select(t => t.TripDistance), valid.Select(t => (double)t.FareAmount)) > 0.85);
        var cardTipRates = valid.Where(t => t.PaymentType == 1).Select(t => (double)(t.TipAmount / t.FareAmount)).Order().ToList();
        Assert.InRange(cardTipRates[cardTipRates.Count / 2], 0.10, 0.30);
        Assert.All(valid.Where(t => t.PaymentType == 2), t => Assert.Equal(0m, t.TipAmount));
        Assert.All(valid, t =>
        {
            Assert.True(NycBounds.Contains(t.PickupLongitude!.Value, t.PickupLatitude!.Value));
            Assert.True(NycBounds.Contains(t.DropoffLongitude!.Value, t.DropoffLatitude!.Value));
        });
    }

    [Fact]
    public async Task Replaying_the_test_csv_publishes_its_first_thousand_rows_row_for_row()
    {
        var file = SharedData.File("data", "nyc-taxi-sample", "taxi-fare-test.csv");
        var topic = ProducerKafka.UniqueTopic("replay");
        await kafka.CreateTopicAsync(topic, partitions: 1);

        var exit = await ProducerCli.RunAsync(["replay", file, "--limit", "1000", "--bootstrap-servers", kafka.BootstrapServers, "--topic", topic], Token);
        Assert.Equal(0, exit);

        var messages = await ProducerKafka.ReadWithPythonAsync(kafka.BootstrapServers, topic, 1000, Token);
        Assert.Equal(1000, messages.Count);
        var rows = (await File.ReadAllLinesAsync(file, Token)).Skip(1).Take(1000).Select(l => l.Split(',')).ToList();
        foreach (var (message, row) in messages.OrderBy(m => m.Offset).Zip(rows))
        {
            var trip = Assert.NotNull(message.Parsed);
            var pickup = DateTime.ParseExact(trip.GetProperty(TripFields.PickupDateTime).GetString()!, TripFields.DateTimeFormat, CultureInfo.InvariantCulture);
            var dropoff = DateTime.ParseExact(trip.GetProperty(TripFields.DropoffDateTime).GetString()!, TripFields.DateTimeFormat, CultureInfo.InvariantCulture);
            Assert.Equal(row[0] == "CMT" ? 1 : 2, trip.GetProperty(TripFields.VendorId).GetInt32());
            Assert.Equal(int.Parse(row[1], CultureInfo.InvariantCulture), trip.GetProperty(TripFields.RateCodeId).GetInt32());
            Assert.Equal(int.Parse(row[2], CultureInfo.InvariantCulture), trip.GetProperty(TripFields.PassengerCount).GetInt32());
            Assert.Equal(double.Parse(row[3], CultureInfo.InvariantCulture), (dropoff - pickup).TotalSeconds);
            Assert.Equal(double.Parse(row[4], CultureInfo.InvariantCulture), trip.GetProperty(TripFields.TripDistance).GetDouble());
            Assert.Equal(row[5] switch { "CRD" => 1, "CSH" => 2, "NOC" => 3, "DIS" => 4, _ => 5 }, trip.GetProperty(TripFields.PaymentType).GetInt32());
            Assert.Equal(decimal.Parse(row[6], CultureInfo.InvariantCulture), trip.GetProperty(TripFields.FareAmount).GetDecimal());
        }

        Assert.Equal("taxi-fare-test-1000", messages.MaxBy(m => m.Offset)!.Key);
    }

    [Fact]
    public async Task Backfill_publishes_the_asked_history_on_all_cores_ending_now()
    {
        var topic = ProducerKafka.UniqueTopic("backfill");
        await kafka.CreateTopicAsync(topic, partitions: 3);
        var before = DateTime.UtcNow;

        var exit = await ProducerCli.RunAsync(
            ["simulate", "--backfill-days", "0.25", "--trips-per-day", "40000", "--dirty-ratio", "0", "--bootstrap-servers", kafka.BootstrapServers, "--topic", topic], Token);
        Assert.Equal(0, exit);

        var messages = await ProducerKafka.ReadWithPythonAsync(kafka.BootstrapServers, topic, 0, Token);
        // 6 hours at 40,000 a day is 10,000 on average; demand by hour moves it either way.
        Assert.InRange(messages.Count, 3_000, 20_000);
        Assert.Equal(messages.Count, messages.Select(m => m.Key).Distinct().Count());
        var clock = new TripClock("America/New_York");
        var validator = new TripValidator(new TripValidationOptions(), TimeProvider.System);
        foreach (var message in messages)
        {
            var result = validator.DecodeAndValidate(message.Value);
            Assert.True(result.IsSuccess, result.Rejection?.Detail);
            var pickup = clock.ToUtc(result.Trip.PickupDateTime).UtcDateTime;
            Assert.InRange(pickup, before.AddHours(-6).AddMinutes(-1), DateTime.UtcNow);
        }
    }

    [Fact]
    public async Task Bad_arguments_fail_before_touching_Kafka()
    {
        Assert.NotEqual(0, await ProducerCli.RunAsync(["simulate", "--rate", "-5"], Token));
        Assert.NotEqual(0, await ProducerCli.RunAsync(["replay", "/no/such/file.csv"], Token));
        Assert.NotEqual(0, await ProducerCli.RunAsync(["simulate", "--dirty-ratio", "2"], Token));
    }

    private static double Correlation(IEnumerable<double> xs, IEnumerable<double> ys)
    {
        var x = xs.ToArray();
        var y = ys.ToArray();
        var mx = x.Average();
        var my = y.Average();
        var cov = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return cov / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }
}
