using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Quasar.Bench.Macro.Nats;

/// <summary>
/// W9's <c>nats-server -js</c>: started by the child on a free loopback port with its store in the
/// child's directory, stopped by its process id. Unlike the tests' fixture it never installs the
/// server: the runner skips W9 (<see cref="Unavailable"/>) where the binary is missing.
/// </summary>
/// <remarks>Protocol: one measured run owns one server from one thread; <see cref="Dispose"/> kills it and waits until it is gone.</remarks>
internal sealed class BenchNatsServer : IDisposable
{
    private const string Name = "nats-server";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private static readonly Lazy<string?> Binary = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process process;

    private BenchNatsServer(Process process, int port)
    {
        this.process = process;
        Url = string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{port}");
    }

    /// <summary>Why W9 cannot run here, or null when the server binary is installed.</summary>
    public static string? Unavailable => Binary.Value is null
        ? $"{Name} is not on PATH, in /usr/sbin or /usr/bin (Debian/Ubuntu: sudo apt-get install -y {Name})"
        : null;

    /// <summary>The client URL.</summary>
    public string Url { get; }

    /// <summary>Starts a server storing into <paramref name="storeDirectory"/> and waits until it accepts connections.</summary>
    public static BenchNatsServer Start(string storeDirectory)
    {
        string binary = Binary.Value ?? throw new InvalidOperationException(Unavailable);
        int port = FreePort();
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", storeDirectory })
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"{Name} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BenchNatsServer(process, port);
        try
        {
            server.WaitUntilListening(port);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server by its process id and waits until it is gone.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit();
        process.Dispose();
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin"])
            .Select(directory => Path.Combine(directory, Name))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilListening(int port)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited at start with code {process.ExitCode}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"{Name} did not listen on port {port} within {ReadyTimeout}");
    }
}
