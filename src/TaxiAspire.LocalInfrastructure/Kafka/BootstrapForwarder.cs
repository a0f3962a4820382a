using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.LocalInfrastructure.Kafka;

/// <summary>
/// A fixed, well-known bootstrap address (localhost:port) in front of mock brokers that listen on random ports the
/// mock API cannot rebind. Each accepted connection is piped to an up broker; clients then follow the metadata to the
/// brokers' own addresses, so only bootstrap traffic crosses this forwarder.
/// </summary>
internal sealed partial class BootstrapForwarder : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<IReadOnlyList<MockBroker>> _upBrokers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private long _nextConnectionId;
    private int _nextBroker;
    private int _disposed;

    private BootstrapForwarder(Func<IReadOnlyList<MockBroker>> upBrokers, ILogger logger)
    {
        _upBrokers = upBrokers;
        _logger = logger;
    }

    public int Port { get; private set; }

    /// <summary>Listens on 127.0.0.1 and, when the machine has IPv6 loopback, on [::1] with the same port.</summary>
    public static BootstrapForwarder Start(int port, Func<IReadOnlyList<MockBroker>> upBrokers, ILogger logger)
    {
        var forwarder = new BootstrapForwarder(upBrokers, logger);
        try
        {
            var ipv4 = Listen(IPAddress.Loopback, port);
            forwarder._listeners.Add(ipv4);
            forwarder.Port = ((IPEndPoint)ipv4.LocalEndpoint).Port;

            if (Socket.OSSupportsIPv6)
            {
                try
                {
                    forwarder._listeners.Add(Listen(IPAddress.IPv6Loopback, forwarder.Port));
                }
                catch (SocketException ex)
                {
                    // "localhost" still works through 127.0.0.1; clients try the next address.
                    LogIpv6Unavailable(logger, forwarder.Port, ex.SocketErrorCode);
                }
            }
        }
        catch (SocketException ex)
        {
            forwarder._stopping.Dispose();
            foreach (var listener in forwarder._listeners)
            {
                listener.Dispose();
            }

            throw new InvalidOperationException(
                $"The Kafka bootstrap forwarder cannot listen on localhost:{port} ({ex.SocketErrorCode}). " +
                "Free the port or choose another bootstrap port (0 picks a free one).", ex);
        }

        foreach (var listener in forwarder._listeners)
        {
            forwarder._acceptLoops.Add(forwarder.AcceptLoopAsync(listener));
        }

        LogListening(logger, forwarder.Port);
        return forwarder;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        try
        {
            await Task.WhenAll(_acceptLoops.Concat(_connections.Values)).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(_logger, _connections.Count);
        }

        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        _stopping.Dispose();
    }

    private static TcpListener Listen(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            listener.Server.DualMode = false;
        }

        // A restarted AppHost must get the port back while old connections sit in TIME_WAIT. (On Windows the same
        // option would let two listeners share the port, so it stays off there.)
        if (!OperatingSystem.IsWindows())
        {
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }

        listener.Start();
        return listener;
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(_logger, ex.SocketErrorCode);
                continue;
            }

            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = ForwardAsync(client, token);
            _connections[id] = connection;
            _ = connection.ContinueWith(
                _ => _connections.TryRemove(id, out Task? _),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ForwardAsync(Socket client, CancellationToken token)
    {
        try
        {
            using (client)
            {
                using var broker = await ConnectToUpBrokerAsync(token);
                if (broker is null)
                {
                    LogNoBrokerUp(_logger, client.RemoteEndPoint);
                    return;
                }

                client.NoDelay = true;
                broker.NoDelay = true;
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token);
                await using var clientStream = new NetworkStream(client, ownsSocket: false);
                await using var brokerStream = new NetworkStream(broker, ownsSocket: false);
                var upstream = PumpAsync(clientStream, broker, linked.Token);
                var downstream = PumpAsync(brokerStream, client, linked.Token);

                // Either side failing ends the connection; a clean EOF one way lets the other way drain.
                var first = await Task.WhenAny(upstream, downstream);
                if (first.IsFaulted || first.IsCanceled || !await first)
                {
                    await linked.CancelAsync();
                }

                await Task.WhenAll(upstream, downstream);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException
                                       or ObjectDisposedException)
        {
            // A client or broker going away mid-stream is the normal end of a forwarded connection.
        }
    }

    /// <summary>Copies until EOF (then half-closes the destination) and returns true; false if cut off.</summary>
    private static async Task<bool> PumpAsync(NetworkStream source, Socket destination, CancellationToken token)
    {
        try
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer, token)) > 0)
            {
                await destination.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token);
            }

            destination.Shutdown(SocketShutdown.Send);
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException
                                       or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task<Socket?> ConnectToUpBrokerAsync(CancellationToken token)
    {
        var brokers = _upBrokers();
        var start = Interlocked.Increment(ref _nextBroker);
        for (var attempt = 0; attempt < brokers.Count; attempt++)
        {
            var target = brokers[(int)((uint)(start + attempt) % brokers.Count)];
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(ConnectTimeout);
                await socket.ConnectAsync(target.Host, target.Port, timeout.Token);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                token.ThrowIfCancellationRequested();
                LogBrokerUnreachable(_logger, target.Id, target.Address);
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka bootstrap forwarder listening on localhost:{Port}")]
    private static partial void LogListening(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No IPv6 loopback listener on port {Port}: {Error}")]
    private static partial void LogIpv6Unavailable(ILogger logger, int port, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a bootstrap connection failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No mock broker is up; closing bootstrap connection from {Client}")]
    private static partial void LogNoBrokerUp(ILogger logger, EndPoint? client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mock broker {BrokerId} at {Address} refused a forwarded connection")]
    private static partial void LogBrokerUnreachable(ILogger logger, int brokerId, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} forwarded connections did not close within 5 s")]
    private static partial void LogStopTimedOut(ILogger logger, int count);
}
