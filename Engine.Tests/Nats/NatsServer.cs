using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NATS.Client.Core;
using Quasar.Tests.Support;
using Xunit.Sdk;

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
        var server = new NatsServer(FreePort());
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

        var info = new ProcessStartInfo(NatsServerBinary.Path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", store.Path })
        {
            info.ArgumentList.Add(argument);
        }

        process = Process.Start(info) ?? throw new XunitException("nats-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntilListening();
    }

    /// <summary>SIGKILLs the server by its process id and waits until it is gone.</summary>
    public void Crash()
    {
        Process running = process ?? throw new InvalidOperationException("The server is not running.");
        running.Kill();
        running.WaitForExit();
        running.Dispose();
        process = null;
        Crashes++;
    }

    /// <summary>Kills a running server and deletes its store.</summary>
    public void Dispose()
    {
        if (process is not null)
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            process = null;
        }

        store.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilListening()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < ReadyTimeout)
        {
            if (process!.HasExited)
            {
                throw new XunitException($"nats-server exited at start with code {process.ExitCode}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new XunitException($"nats-server did not listen on port {Port} within {ReadyTimeout}");
    }
}
