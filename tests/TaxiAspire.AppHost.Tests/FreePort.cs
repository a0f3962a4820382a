using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TaxiAspire.AppHost.Tests;

/// <summary>A loopback port nobody listens on at the moment of asking, so parallel AppHosts never share one.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>As <see cref="Next"/>, written for a command-line argument or an environment variable.</summary>
    public static string NextText() => Next().ToString(CultureInfo.InvariantCulture);
}
