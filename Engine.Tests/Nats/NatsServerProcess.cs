using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Quasar.Tests.Nats;

/// <summary>
/// Starting and stopping one <c>nats-server -js</c> process on loopback: finding the binary, a free
/// port, the launch, the wait until it accepts connections, the kill by process id. The tests'
/// fixture (<c>NatsServer</c>) and W9 of the bench (<c>BenchNatsServer</c>) both use it:
/// one file, owned by the tests, compiled into both projects.
/// </summary>
/// <remarks>Protocol: stateless; each process it starts belongs to its caller, who stops it with <see cref="Stop"/>.</remarks>
internal static class NatsServerProcess
{
    /// <summary>The binary's file name.</summary>
    public const string Name = "nats-server";

    /// <summary>The full path of the binary on PATH, in /usr/sbin or /usr/bin, or null.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin"])
            .Select(directory => Path.Combine(directory, Name))
            .FirstOrDefault(File.Exists);

    /// <summary>A loopback port no one listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <paramref name="binary"/> with JetStream on 127.0.0.1:<paramref name="port"/>, storing
    /// into <paramref name="storeDirectory"/> (its output discarded), and waits until it accepts
    /// connections; a server that exits or stays silent is stopped and reported.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server did not start, exited, or did not listen within <paramref name="readyTimeout"/>.</exception>
    public static Process Start(string binary, int port, string storeDirectory, TimeSpan readyTimeout)
    {
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
        try
        {
            WaitUntilListening(process, port, readyTimeout);
            return process;
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    /// <summary>SIGKILLs the server by its process id (unless it exited), waits until it is gone, and releases the handle.</summary>
    public static void Stop(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit();
        process.Dispose();
    }

    private static void WaitUntilListening(Process process, int port, TimeSpan readyTimeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < readyTimeout)
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

        throw new InvalidOperationException($"{Name} did not listen on port {port} within {readyTimeout}");
    }
}
