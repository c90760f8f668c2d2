using System.Diagnostics;
using System.Globalization;
using Quasar.Tests.Nats;

namespace Quasar.Bench.Macro.Nats;

/// <summary>
/// W9's <c>nats-server -js</c>: started by the child on a free loopback port with its store in the
/// child's directory, stopped by its process id (both through <see cref="NatsServerProcess"/>,
/// shared with the tests' fixture). Unlike the fixture it never installs the server: the runner
/// skips W9 (<see cref="Unavailable"/>) where the binary is missing.
/// </summary>
/// <remarks>Protocol: one measured run owns one server from one thread; <see cref="Dispose"/> kills it and waits until it is gone.</remarks>
internal sealed class BenchNatsServer : IDisposable
{
    private static readonly Lazy<string?> Binary = new(NatsServerProcess.Find, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process process;

    private BenchNatsServer(Process process, int port)
    {
        this.process = process;
        Url = string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{port}");
    }

    /// <summary>Why W9 cannot run here, or null when the server binary is installed.</summary>
    public static string? Unavailable => Binary.Value is null
        ? $"{NatsServerProcess.Name} is not on PATH, in /usr/sbin or /usr/bin (Debian/Ubuntu: sudo apt-get install -y {NatsServerProcess.Name})"
        : null;

    /// <summary>The client URL.</summary>
    public string Url { get; }

    /// <summary>Starts a server storing into <paramref name="storeDirectory"/> and waits until it accepts connections.</summary>
    public static BenchNatsServer Start(string storeDirectory)
    {
        string binary = Binary.Value ?? throw new InvalidOperationException(Unavailable);
        int port = NatsServerProcess.FreePort();
        return new BenchNatsServer(NatsServerProcess.Start(binary, port, storeDirectory, TimeSpan.FromSeconds(30)), port);
    }

    /// <summary>Kills the server by its process id and waits until it is gone.</summary>
    public void Dispose() => NatsServerProcess.Stop(process);
}
