using System.Collections.Concurrent;
using System.Diagnostics;
using Quasar.Tests.Support;
using Xunit.Sdk;

namespace Quasar.Tests.Cli;

/// <summary>
/// One run of the quasar tool as a child process (<c>dotnet Quasar.Cli.dll</c>, or an installed
/// <c>quasar</c> executable): collects stdout and stderr as they arrive, can send SIGINT, and
/// bounds every wait so a hung tool fails the test instead of stalling the run.
/// </summary>
internal sealed class CliRun : IDisposable
{
    /// <summary>The longest a run may take to exit, after being asked to or on its own.</summary>
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    private readonly Process process;
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly ConcurrentQueue<string> stderr = new();

    private CliRun(Process process)
    {
        this.process = process;
    }

    /// <summary>Every stdout line received so far.</summary>
    public string Stdout => string.Join('\n', stdout);

    /// <summary>Every stderr line received so far.</summary>
    public string Stderr => string.Join('\n', stderr);

    /// <summary>The exit code, once <see cref="WaitForExit"/> returned.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Starts <c>dotnet Quasar.Cli.dll</c> (built next to this test assembly's configuration) with <paramref name="arguments"/>.</summary>
    public static CliRun Start(params string[] arguments) => StartProgram(CrashChild.DotnetHost(), [FindDll(), .. arguments]);

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/>, output redirected.</summary>
    public static CliRun StartProgram(string program, params string[] arguments) => StartProgram(program, new Dictionary<string, string>(), arguments);

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> and <paramref name="environment"/> added to this process's, output redirected.</summary>
    public static CliRun StartProgram(string program, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // A shell without job control starts a background command with SIGINT ignored, and an
        // ignored signal stays ignored across exec: run from such a shell, the tool under test would
        // never see the Ctrl+C these tests send (seen: `nohup bash .ci/run &`). coreutils' env resets
        // it to the default, then execs the program in its place (same process id).
        var info = new ProcessStartInfo(OperatingSystem.IsLinux() ? "env" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (OperatingSystem.IsLinux())
        {
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add(program);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            info.Environment[name] = value;
        }

        var run = new CliRun(new Process { StartInfo = info });
        run.process.OutputDataReceived += (_, e) => Collect(run.stdout, e.Data);
        run.process.ErrorDataReceived += (_, e) => Collect(run.stderr, e.Data);
        run.process.Start();
        run.process.BeginOutputReadLine();
        run.process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs to the end and returns the finished run.</summary>
    public static CliRun Complete(params string[] arguments)
    {
        CliRun run = Start(arguments);
        run.WaitForExit();
        return run;
    }

    /// <summary>Waits (bounded) until stderr or stdout has a line containing <paramref name="text"/>; fails if the run exits first.</summary>
    public void WaitForLine(string text)
    {
        var started = Stopwatch.StartNew();
        while (!stdout.Concat(stderr).Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (process.HasExited || started.Elapsed > ExitTimeout)
            {
                throw new XunitException($"no line containing '{text}' (exited: {process.HasExited})\n{Describe()}");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits (bounded) for the exit and drains the output.</summary>
    public void WaitForExit()
    {
        if (!process.WaitForExit(ExitTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new XunitException($"the tool did not exit within {ExitTimeout}\n{Describe()}");
        }

        process.WaitForExit(); // drains the redirected output
    }

    /// <summary>The output so far, for failure messages.</summary>
    public string Describe() => $"stdout:\n{Stdout}\nstderr:\n{Stderr}";

    /// <summary>Kills a run that is still going (with anything it started), then releases the process.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    /// <summary>tools/Quasar.Cli/bin/&lt;configuration&gt;/&lt;framework&gt;/Quasar.Cli.dll (Engine.Tests references the project, so it is built first).</summary>
    public static string FindDll()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        string configuration = framework.Parent!.Name;
        string dll = Path.Combine(RepositoryRoot(), "tools", "Quasar.Cli", "bin", configuration, framework.Name, "Quasar.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build tools/Quasar.Cli in {configuration}");
        return dll;
    }

    /// <summary>The directory holding Engine.sln above this test assembly.</summary>
    public static string RepositoryRoot()
    {
        DirectoryInfo? root = new(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Engine.sln")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, $"no Engine.sln above {AppContext.BaseDirectory}");
        return root.FullName;
    }

    private static void Collect(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
