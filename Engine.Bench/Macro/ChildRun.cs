using System.Diagnostics;
using System.Globalization;
using Quasar.Bench.Macro.Engines;
using Quasar.Bench.Macro.Workloads;

namespace Quasar.Bench.Macro;

/// <summary>
/// The child-process protocol. The parent (<see cref="MacroRunner"/>) re-invokes its own
/// executable with the hidden <c>macro-child</c> command for every measured run; the child
/// measures once, prints exactly one line <c>result workload=... engine=... start=... ...</c> on
/// stdout (diagnostics go to stderr) and exits 0, or exits 1 after printing the error to stderr.
/// <para>
/// Warm (the default): the workload's own code runs three times on a small store first (a
/// twentieth of the entries, at least 10,000 (W2: 100); each in a fresh directory, deleted after,
/// with a pause for the tiered JIT's background compiles), so the measured run executes
/// steady-state code. W3, W4 and W6 then load their store in the child itself, untimed (the
/// engine's W1 append: 1,000 per write, durable at the end), close it, and measure on the
/// reopened store; they do not reuse W1's directory.
/// </para>
/// <para>
/// Cold (<c>--cold</c>): no warm-up; the workload runs once, as a user's fresh process would. The
/// loaded store of W3/W4/W6 is made by an earlier loader child (<c>--load-only</c>, same
/// directory), so the measured process has compiled nothing of the engine when its clock starts.
/// The clocks are the engine's own, as in warm mode: W1 and W4 start just before the first
/// <c>Db.Open</c> (so they include compiling and initialising everything the engine runs; the
/// runtime's start and the loading of the engine's assembly, which happens while the calling
/// method is compiled, come before), W3 and W6 start after their untimed open (W6 also after its
/// 1,000 untimed reads). Cold results add <c>launch_to_main_ms</c> (the parent's
/// Process.Start to this child's first instruction: the runtime starting, the same for every
/// engine) and <c>launch_to_done_ms</c> (to the end of the measured part: what a new user's
/// process costs up to there), both on the machine's monotonic clock shared with the parent.
/// </para>
/// <para>Memory is measured from after the load in both modes (see <see cref="MemoryProbe"/>).</para>
/// </summary>
public static class ChildRun
{
    public const string Command = "macro-child";

    private const string ResultPrefix = "result ";

    public static IEngineWorkloads CreateEngine(string name) => name switch
    {
        "quasar" => new QuasarEngine(),
        "fasterlog" => new FasterLogEngine(),
        "sqlite" => new SqliteEngine(),
        "lmdb" => new LmdbEngine(),
        "nats" => new NatsEngine(),
        _ => throw new ArgumentException($"unknown engine '{name}' (quasar, fasterlog, sqlite, lmdb, nats)", nameof(name)),
    };

    /// <summary>The child's entry point (<c>Engine.Bench macro-child ...</c>).</summary>
    public static int RunChild(string[] args)
    {
        long startedAt = Stopwatch.GetTimestamp(); // first: the runtime's start ends here
        try
        {
            ChildSpec spec = ChildSpec.Parse(args);
            Result result = spec.LoadOnly ? Load(spec) : Execute(spec, startedAt);
            Console.Out.WriteLine(ResultPrefix + result);
            Console.Out.Flush();
            return 0;
        }
#pragma warning disable CA1031 // the child reports any failure to its parent through stderr and the exit code
        catch (Exception error)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"{Command} {string.Join(' ', args)} failed: {error}");
            return 1;
        }
    }

    /// <summary>Parent side: runs one child to completion and returns its result line.</summary>
    /// <exception cref="InvalidOperationException">The child failed, timed out or printed no result.</exception>
    public static Result Launch(ChildSpec spec, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false, // the child's diagnostics go straight to our stderr
            UseShellExecute = false,
        };
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this process's executable");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Started as 'dotnet Engine.Bench.dll': the child needs the assembly path too.
            start.ArgumentList.Add(typeof(ChildRun).Assembly.Location);
        }

        foreach (string argument in (spec with { LaunchedAt = Stopwatch.GetTimestamp() }).ToArguments())
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            throw new InvalidOperationException($"{spec.Workload}/{spec.Engine}: the child did not finish within {timeout}");
        }

        child.WaitForExit(); // drains the redirected stream
        string text = output.GetAwaiter().GetResult();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"{spec.Workload}/{spec.Engine}: the child exited with {child.ExitCode} (its error is above)");
        }

        string? line = text.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        return line is null
            ? throw new InvalidOperationException($"{spec.Workload}/{spec.Engine}: the child printed no result line; it printed: {text}")
            : Result.Parse(line[ResultPrefix.Length..]);
    }

    /// <summary>The directory a child measures in, inside the run's directory (a loader child fills the same one).</summary>
    private static string MeasuredDirectory(ChildSpec spec) => Path.Combine(spec.Directory, "run");

    private static Result Load(ChildSpec spec)
    {
        IEngineWorkloads engine = CreateEngine(spec.Engine);
        string directory = MeasuredDirectory(spec);
        Directory.CreateDirectory(directory);
        TimeSpan elapsed = engine.Append(directory, spec.Entries, 1000, durableEachWrite: false);
        return new Result(spec.Workload, "loader", new Dictionary<string, double> { ["load_seconds"] = elapsed.TotalSeconds })
        {
            Engine = engine.Name,
            Start = spec.Start,
        };
    }

    private static Result Execute(ChildSpec spec, long startedAt)
    {
        IEngineWorkloads engine = CreateEngine(spec.Engine);
        Workload workload = WorkloadRegistry.Get(spec.Workload);
        if (!workload.RunsOn(engine))
        {
            throw new ArgumentException($"{spec.Engine} does not run {spec.Workload}");
        }

        Directory.CreateDirectory(spec.Directory);
        int minimum = workload.MinimumWarmUpEntries;
        ChildSpec warmUp = spec with
        {
            Entries = Math.Min(spec.Entries, Math.Max(minimum, spec.Entries / 20)),
            Reads = Math.Min(spec.Reads, 5_000),
        };
        for (int round = 0; round < (spec.Cold ? 0 : 3); round++)
        {
            string directory = Path.Combine(spec.Directory, "warmup-" + round.ToString(CultureInfo.InvariantCulture));
            _ = Measure(engine, workload, warmUp, directory, loadFirst: workload.LoadsFirst, out _);
            DeleteDirectory(directory);
            Thread.Sleep(200);
        }

        string measured = MeasuredDirectory(spec);
        if (spec.Cold && workload.LoadsFirst && !Directory.Exists(measured))
        {
            throw new InvalidOperationException($"cold {spec.Workload} measures a store a loader child (--load-only) made first; {measured} does not exist");
        }

        Dictionary<string, double> metrics = Measure(engine, workload, spec, measured, loadFirst: workload.LoadsFirst && !spec.Cold, out long doneAt);
        if (spec.Cold && spec.LaunchedAt != 0)
        {
            metrics["launch_to_main_ms"] = Stopwatch.GetElapsedTime(spec.LaunchedAt, startedAt).TotalMilliseconds;
            metrics["launch_to_done_ms"] = Stopwatch.GetElapsedTime(spec.LaunchedAt, doneAt).TotalMilliseconds;
        }

        return new Result(spec.Workload, engine.Mode(spec.Workload), metrics) { Engine = engine.Name, Start = spec.Start };
    }

    private static Dictionary<string, double> Measure(IEngineWorkloads engine, Workload workload, ChildSpec spec, string directory, bool loadFirst, out long doneAt)
    {
        Directory.CreateDirectory(directory);
        if (loadFirst)
        {
            engine.Append(directory, spec.Entries, 1000, durableEachWrite: false); // the untimed load
        }

        var metrics = new Dictionary<string, double>();
        using MemoryProbe probe = MemoryProbe.Start();
        TimeSpan elapsed = workload.Measure(engine, spec, directory, metrics);
        doneAt = Stopwatch.GetTimestamp();
        metrics["seconds"] = elapsed.TotalSeconds;
        probe.Stop(metrics);
        metrics["rss_peak_reset"] = probe.RssReset ? 1 : 0;
        return metrics;
    }

    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
