using System.Diagnostics;
using Xunit.Sdk;

namespace Quasar.Tests.Nats;

/// <summary>
/// Finds the <c>nats-server</c> binary (PATH, /usr/sbin, /usr/bin) and, when it is missing,
/// installs it with the system package manager (<c>apt-get install nats-server</c>, as root or
/// through passwordless sudo), so the README's one test command sets up a fresh machine. Where it
/// cannot install, the tests fail with exactly what to install.
/// </summary>
/// <remarks>Protocol: <see cref="Path"/> is computed once per test process (lazily, thread-safe); the install runs at most once.</remarks>
internal static class NatsServerBinary
{
    private const string Name = NatsServerProcess.Name;

    private static readonly Lazy<string> Located = new(LocateOrInstall, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The full path of the server binary.</summary>
    public static string Path => Located.Value;

    private static string LocateOrInstall()
    {
        if (NatsServerProcess.Find() is string found)
        {
            return found;
        }

        string? installer = Installer();
        if (installer is null)
        {
            throw new XunitException(
                $"{Name} is not installed and this user cannot install it (not root, no passwordless sudo, no apt-get). " +
                $"Install it and put it on PATH: on Debian/Ubuntu 'sudo apt-get install -y {Name}', elsewhere a release from https://github.com/nats-io/nats-server/releases.");
        }

        (int code, string output) = Run("/bin/sh", "-c", $"{installer}apt-get update -q && {installer}apt-get install -y -q {Name}");
        return NatsServerProcess.Find() ?? throw new XunitException($"installing {Name} with apt-get failed (exit {code}); install it yourself ('sudo apt-get install -y {Name}'). Output:\n{output}");
    }

    /// <summary>"" when root, "sudo -n " with passwordless sudo, null when apt-get is missing or neither works.</summary>
    private static string? Installer()
    {
        if (!File.Exists("/usr/bin/apt-get"))
        {
            return null;
        }

        if (Run("id", "-u").Output.Trim() == "0")
        {
            return "";
        }

        return Run("/bin/sh", "-c", "command -v sudo >/dev/null && sudo -n true").Code == 0 ? "sudo -n " : null;
    }

    private static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception failure)
        {
            return (-1, failure.Message);
        }
    }
}
