using Confluent.Kafka;
using TaxiAspire.StreamProcessor.Consuming;

namespace TaxiAspire.IntegrationTests.Processing;

// Pure logic, no infrastructure: how a batch is split over the write lanes.
public sealed class PartitionLanesTests
{
    [Fact]
    public void A_partition_keeps_its_lane_and_its_order_across_batches()
    {
        var lanes = new PartitionLanes(2);
        var first = lanes.Split(Batch((3, 0), (5, 0), (3, 1), (8, 0), (5, 1))).ToList();
        var second = lanes.Split(Batch((8, 1), (3, 2), (5, 2), (3, 3))).ToList();

        var laneOf = first.SelectMany(p => p.Messages.Select(m => (m.Partition.Value, p.Lane))).Distinct().ToDictionary();
        Assert.Equal(3, laneOf.Count);
        foreach (var (lane, messages) in second)
        {
            Assert.All(messages, m => Assert.Equal(laneOf[m.Partition.Value], lane));
        }

        // Within a lane, each partition's messages stay in offset order.
        foreach (var (_, messages) in first.Concat(second))
        {
            foreach (var partition in messages.GroupBy(m => m.Partition.Value))
            {
                Assert.Equal(partition.Select(m => m.Offset.Value).Order(), partition.Select(m => m.Offset.Value));
            }
        }
    }

    [Fact]
    public void Partitions_are_dealt_round_robin_so_even_partitions_alone_still_fill_every_lane()
    {
        var parts = new PartitionLanes(2).Split(Batch((0, 0), (2, 0), (4, 0), (6, 0))).ToList();

        Assert.Equal([0, 1], parts.Select(p => p.Lane));
        Assert.All(parts, p => Assert.Equal(2, p.Messages.Count));
    }

    [Fact]
    public void One_lane_takes_the_batch_as_it_is()
    {
        var batch = Batch((1, 0), (0, 0));
        var (lane, messages) = Assert.Single(new PartitionLanes(1).Split(batch));

        Assert.Equal(0, lane);
        Assert.Same(batch, messages);
    }

    private static List<ConsumeResult<byte[]?, byte[]?>> Batch(params (int Partition, long Offset)[] messages) =>
        [.. messages.Select(m => new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset("taxi_trips", m.Partition, m.Offset),
            Message = new Message<byte[]?, byte[]?> { Value = [] },
        })];
}
