using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace TaxiAspire.LocalInfrastructure.Kafka.Native;

/// <summary>
/// A handle on the very librdkafka file that Confluent.Kafka loaded, so the mock cluster and the clients share one
/// librdkafka instance. Confluent.Kafka is never told a path (its <c>Library.Load(path)</c> P/Invokes "libdl", which
/// does not resolve on Debian without libc6-dev); it probes its own candidates and we follow whatever it picked.
/// </summary>
internal sealed class RdKafkaLibrary : IDisposable
{
    // The names Confluent.Kafka's P/Invoke classes import, in the order it tries them.
    private static readonly string[] ConfluentImportNames = ["librdkafka", "centos8-librdkafka", "alpine-librdkafka"];

    private readonly nint _handle;
    private bool _disposed;

    private RdKafkaLibrary(nint handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The file that was loaded, or the import name when the platform does not tell the file.</summary>
    public string Path { get; }

    public static RdKafkaLibrary Load()
    {
        string version;
        try
        {
            // Makes Confluent.Kafka run its own loader now, before we bind anything.
            version = Library.VersionString;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or InvalidOperationException
                                       or TypeInitializationException)
        {
            throw new MockKafkaUnavailableException(
                $"Confluent.Kafka could not load librdkafka on {RuntimeInformation.RuntimeIdentifier}; the local Kafka mock " +
                "cluster needs it. Check that the app's output has runtimes/<rid>/native/ from librdkafka.redist.", ex);
        }

        var assembly = typeof(Library).Assembly;
        var loaded = OperatingSystem.IsLinux() ? FindMappedLibrary() : null;
        var library = loaded is not null
            ? new RdKafkaLibrary(NativeLibrary.Load(loaded), loaded)
            : LoadLikeConfluent(assembly);

        if (!library.HasExport("rd_kafka_mock_cluster_new"))
        {
            library.Dispose();
            throw new MockKafkaUnavailableException(
                $"The librdkafka {version} loaded from '{library.Path}' has no mock cluster API (rd_kafka_mock_*).");
        }

        return library;
    }

    public nint GetExport(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return NativeLibrary.TryGetExport(_handle, name, out var address)
            ? address
            : throw new MockKafkaUnavailableException($"librdkafka at '{Path}' does not export {name}.");
    }

    public bool HasExport(string name) => NativeLibrary.TryGetExport(_handle, name, out _);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Only drops our reference count; Confluent.Kafka keeps its own.
        NativeLibrary.Free(_handle);
    }

    /// <summary>
    /// The librdkafka file mapped into this process. On Linux, /proc/self/maps is the ground truth of which copy
    /// the dynamic loader holds, whatever probing led there.
    /// </summary>
    private static string? FindMappedLibrary()
    {
        const string MapsFile = "/proc/self/maps";
        if (!File.Exists(MapsFile))
        {
            return null;
        }

        var candidates = File.ReadLines(MapsFile)
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? line[i..] : null)
            .OfType<string>()
            .Where(path => System.IO.Path.GetFileName(path).Contains("rdkafka", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        return candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>
    /// Resolves the import names with the runtime's probing for Confluent.Kafka's assembly (deps.json native assets,
    /// then the default paths): the same resolution its own P/Invokes got.
    /// </summary>
    private static RdKafkaLibrary LoadLikeConfluent(Assembly confluentAssembly)
    {
        foreach (var name in ConfluentImportNames)
        {
            if (NativeLibrary.TryLoad(name, confluentAssembly, searchPath: null, out var handle))
            {
                return new RdKafkaLibrary(handle, name);
            }
        }

        throw new MockKafkaUnavailableException(
            $"librdkafka was loaded by Confluent.Kafka but none of {string.Join(", ", ConfluentImportNames)} resolves " +
            $"for native calls on {RuntimeInformation.RuntimeIdentifier}.");
    }
}
