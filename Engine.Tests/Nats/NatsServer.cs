using System.Diagnostics;
using NATS.Client.Core;
using Quasar.Tests.Support;

namespace Quasar.Tests.Nats;

/// <summary>
/// A real <c>nats-server -js</c> on a free loopback port with its store in a temporary directory,
/// stopped by its process id. <see cref="Crash"/> SIGKILLs it; <see cref="Start"/> runs a new one
/// on the same port and store, which is how the tests restart the server.
/// </summary>
/// <remarks>Protocol: one test drives a server from one thread at a time; disposing kills a running server and deletes the store.</remarks>
internal sealed class NatsServer : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory store = new();
    private Process? process;

    private NatsServer(int port)
    {
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The client URL.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>How many times the server was SIGKILLed.</summary>
    public int Crashes { get; private set; }

    /// <summary>Starts a server on a free port and waits until it accepts connections.</summary>
    public static NatsServer StartNew()
    {
        var server = new NatsServer(NatsServerProcess.FreePort());
        try
        {
            server.Start();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A connection that reconnects for ever (quickly), as the bridge expects of its connection.</summary>
    public NatsConnection Connect() => new(new NatsOpts
    {
        Url = Url,
        MaxReconnectRetry = -1,
        ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
        RequestTimeout = TimeSpan.FromSeconds(5),
    });

    /// <summary>Starts the server (again) on <see cref="Port"/> with the same store and waits until it accepts connections.</summary>
    public void Start()
    {
        if (process is not null)
        {
            throw new InvalidOperationException("The server is running.");
        }

        process = NatsServerProcess.Start(NatsServerBinary.Path, Port, store.Path, ReadyTimeout);
    }

    /// <summary>SIGKILLs the server by its process id and waits until it is gone.</summary>
    public void Crash()
    {
        NatsServerProcess.Stop(process ?? throw new InvalidOperationException("The server is not running."));
        process = null;
        Crashes++;
    }

    /// <summary>Kills a running server and deletes its store.</summary>
    public void Dispose()
    {
        if (process is not null)
        {
            NatsServerProcess.Stop(process);
            process = null;
        }

        store.Dispose();
    }
}
