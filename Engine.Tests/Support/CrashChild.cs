using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Quasar.CrashWriter;
using Xunit.Sdk;

namespace Quasar.Tests.Support;

/// <summary>
/// A run of tools/Quasar.CrashWriter as a child process: collects its stdout lines as they arrive,
/// notices its ready line (<see cref="CrashProtocol.IsReady"/>), and kills it with SIGKILL. Every wait is bounded. Disposing kills
/// a child that is still running.
/// </summary>
internal sealed class CrashChild : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly StringBuilder stderr = new();
    private readonly ManualResetEventSlim ready = new();
    private bool killed;

    private CrashChild(Process process)
    {
        this.process = process;
    }

    /// <summary>Whether the child printed its <c>ready</c> line.</summary>
    public bool IsReady => ready.IsSet;

    public bool HasExited => process.HasExited;

    /// <summary>Whether the child had already exited when <see cref="Kill"/> ran.</summary>
    public bool ExitedBeforeKill { get; private set; }

    /// <summary>The exit code, once <see cref="Kill"/> returned (137 = 128 + SIGKILL).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>The stdout lines received so far (all of them once <see cref="Kill"/> returned).</summary>
    public string[] Lines => [.. lines];

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet Quasar.CrashWriter.dll</c> with <paramref name="arguments"/>.</summary>
    public static CrashChild Start(params string[] arguments) => StartTool(FindDll(), arguments);

    /// <summary>Starts <c>dotnet &lt;dll&gt;</c> with <paramref name="arguments"/>: any tool that prints the crash protocol's ready line.</summary>
    public static CrashChild StartTool(string dll, string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var child = new CrashChild(new Process { StartInfo = info });
        child.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.lines.Enqueue(e.Data);
                if (CrashProtocol.IsReady(e.Data))
                {
                    child.ready.Set();
                }
            }
        };
        child.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (child.stderr)
                {
                    child.stderr.AppendLine(e.Data);
                }
            }
        };

        try
        {
            child.process.Start();
            child.process.BeginOutputReadLine();
            child.process.BeginErrorReadLine();
        }
        catch
        {
            child.Dispose();
            throw;
        }

        return child;
    }

    /// <summary>Waits (at most <see cref="StartTimeout"/>) for the <c>ready</c> line; false if the child exited or took too long.</summary>
    public bool WaitReady()
    {
        var started = Stopwatch.StartNew();
        while (!ready.Wait(TimeSpan.FromMilliseconds(50)) && !process.HasExited && started.Elapsed < StartTimeout)
        {
        }

        return ready.IsSet;
    }

    /// <summary>Kills the child with SIGKILL and waits (bounded) until it is gone and its output is drained.</summary>
    public void Kill()
    {
        if (killed)
        {
            return;
        }

        killed = true;
        ExitedBeforeKill = process.HasExited;
        process.Kill(); // SIGKILL to the child alone: it starts no processes, and walking the tree would delay the kill
        if (!process.WaitForExit(ExitTimeout))
        {
            throw new XunitException($"the child (pid {process.Id}) did not exit within {ExitTimeout} of SIGKILL");
        }

        process.WaitForExit(); // the process is gone: this only drains the redirected output
    }

    /// <summary>The last lines of stdout and all of stderr, for failure messages.</summary>
    public string Describe(int lastLines = 10) =>
        $"child stdout (last lines):\n{string.Join('\n', Lines.TakeLast(lastLines))}\nchild stderr:\n{Stderr}";

    public void Dispose()
    {
        try
        {
            if (!killed && !process.HasExited)
            {
                Kill();
            }
        }
        finally
        {
            process.Dispose();
            ready.Dispose();
        }
    }

    /// <summary>
    /// tools/Quasar.CrashWriter/bin/&lt;configuration&gt;/&lt;framework&gt;/Quasar.CrashWriter.dll, built with the
    /// same configuration as this test assembly (Engine.Tests references the project, so building
    /// the tests builds it).
    /// </summary>
    public static string FindDll() => FindToolDll("Quasar.CrashWriter");

    /// <summary>tools/&lt;tool&gt;/bin/&lt;configuration&gt;/&lt;framework&gt;/&lt;tool&gt;.dll, built like <see cref="FindDll"/>'s.</summary>
    public static string FindToolDll(string tool)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        string configuration = framework.Parent!.Name;
        DirectoryInfo? root = framework;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Engine.sln")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, $"no Engine.sln above {AppContext.BaseDirectory}");
        string dll = Path.Combine(root.FullName, "tools", tool, "bin", configuration, framework.Name, tool + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build tools/{tool} in {configuration}");
        return dll;
    }

    /// <summary>The dotnet host running this test process (or <c>dotnet</c> from PATH).</summary>
    public static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
