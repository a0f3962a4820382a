using System.Threading.Channels;

namespace TaxiAspire.Trainer.Worker;

/// <summary>On-demand requests (HTTP, dashboard command) waiting for the worker; several requests fold into one run.</summary>
public sealed class TrainingTriggers
{
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Queues a run; false when one is already queued (it will cover this request too).</summary>
    public bool Request(string reason) => _requests.Writer.TryWrite(reason);

    public ChannelReader<string> Reader => _requests.Reader;
}
