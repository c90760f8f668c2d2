using System.Diagnostics;
using System.Globalization;
using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro;

/// <summary>What one child process measures: one workload on one engine in its own directory.</summary>
public sealed record ChildSpec(string Workload, string Engine, int Entries, string Directory, int Reads, int Seed)
{
    /// <summary>Entries per write: W2 writes 10 at a time, everything else (and every load) 1,000.</summary>
    public int Batch => Workload == "W2" ? 10 : 1000;

    /// <summary>The hidden command line: <c>macro-child --workload W1 --engine sqlite --entries N --dir D --reads R --seed S</c>.</summary>
    public IEnumerable<string> ToArguments() =>
    [
        ChildRun.Command,
        "--workload", Workload,
        "--engine", Engine,
        "--entries", Entries.ToString(CultureInfo.InvariantCulture),
        "--dir", Directory,
        "--reads", Reads.ToString(CultureInfo.InvariantCulture),
        "--seed", Seed.ToString(CultureInfo.InvariantCulture),
    ];

    public static ChildSpec Parse(IReadOnlyList<string> args)
    {
        string Required(string name) => Options.Get(args, name) ?? throw new ArgumentException($"macro-child needs {name}");
        return new ChildSpec(
            Required("--workload").ToUpperInvariant(),
            Required("--engine").ToLowerInvariant(),
            int.Parse(Required("--entries"), CultureInfo.InvariantCulture),
            Required("--dir"),
            int.Parse(Options.Get(args, "--reads") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Options.Get(args, "--seed") ?? "42", CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The child-process protocol. The parent (<see cref="MacroRunner"/>) re-invokes its own
/// executable with the hidden <c>macro-child</c> command for every measured run; the child warms
/// up, measures once, prints exactly one line <c>result workload=... engine=... ...</c> on stdout
/// (diagnostics go to stderr) and exits 0, or exits 1 after printing the error to stderr.
/// <para>
/// In the child: the workload's own code runs three times on a small store first (a twentieth of
/// the entries, at least 10,000 (W2: 100); each in a fresh directory, deleted after, with a pause
/// for the tiered JIT's background compiles), so the measured run executes steady-state code.
/// W3, W4 and W6 then load their store in the child itself, untimed (the engine's W1 append:
/// 1,000 per write, durable at the end), close it, and measure on the reopened store; they do not
/// reuse W1's directory. Memory is measured from after the load (see <see cref="MemoryProbe"/>).
/// </para>
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
        _ => throw new ArgumentException($"unknown engine '{name}' (quasar, fasterlog, sqlite)", nameof(name)),
    };

    /// <summary>The child's entry point (<c>Engine.Bench macro-child ...</c>).</summary>
    public static int RunChild(string[] args)
    {
        try
        {
            ChildSpec spec = ChildSpec.Parse(args);
            Result result = Execute(spec);
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

        foreach (string argument in spec.ToArguments())
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

    private static Result Execute(ChildSpec spec)
    {
        IEngineWorkloads engine = CreateEngine(spec.Engine);
        if (!engine.Supports(spec.Workload))
        {
            throw new ArgumentException($"{spec.Engine} does not run {spec.Workload}");
        }

        Directory.CreateDirectory(spec.Directory);
        int minimum = spec.Workload == "W2" ? 100 : 10_000;
        ChildSpec warmUp = spec with
        {
            Entries = Math.Min(spec.Entries, Math.Max(minimum, spec.Entries / 20)),
            Reads = Math.Min(spec.Reads, 5_000),
        };
        for (int round = 0; round < 3; round++)
        {
            string directory = Path.Combine(spec.Directory, "warmup-" + round.ToString(CultureInfo.InvariantCulture));
            _ = Measure(engine, warmUp, directory);
            DeleteDirectory(directory);
            Thread.Sleep(200);
        }

        string measured = Path.Combine(spec.Directory, "run");
        Dictionary<string, double> metrics = Measure(engine, spec, measured);
        return new Result(spec.Workload, engine.Mode(spec.Workload), metrics) { Engine = engine.Name };
    }

    private static Dictionary<string, double> Measure(IEngineWorkloads engine, ChildSpec spec, string directory)
    {
        Directory.CreateDirectory(directory);
        int entries = spec.Entries;
        if (spec.Workload is "W3" or "W4" or "W6")
        {
            engine.Append(directory, entries, 1000, durableEachWrite: false); // the untimed load
        }

        var metrics = new Dictionary<string, double>();
        using MemoryProbe probe = MemoryProbe.Start();
        TimeSpan elapsed;
        switch (spec.Workload)
        {
            case "W1":
                elapsed = engine.Append(directory, entries, spec.Batch, durableEachWrite: false);
                metrics["entries_per_s"] = entries / elapsed.TotalSeconds;
                metrics["mb_per_s"] = entries * (double)BenchPayload.Length / elapsed.TotalSeconds / 1e6;
                break;
            case "W2":
                elapsed = engine.Append(directory, entries, spec.Batch, durableEachWrite: true);
                metrics["entries_per_s"] = entries / elapsed.TotalSeconds;
                metrics["writes_per_s"] = entries / (double)spec.Batch / elapsed.TotalSeconds;
                break;
            case "W3":
                elapsed = engine.ReadAll(directory, entries);
                metrics["entries_per_s"] = entries / elapsed.TotalSeconds;
                break;
            case "W4":
                // Five opens, each closed before the next; the median is this run's value.
                var samples = new List<double>();
                for (int i = 0; i < 5; i++)
                {
                    samples.Add(engine.Open(directory, entries).TotalMilliseconds);
                }

                samples.Sort();
                elapsed = TimeSpan.FromMilliseconds(samples.Sum());
                metrics["open_ms"] = samples[samples.Count / 2];
                break;
            case "W5":
                if (engine is not QuasarEngine)
                {
                    throw new ArgumentException("W5 runs only on quasar");
                }

                QueueRun run = QuasarEngine.RunQueue(directory, entries);
                elapsed = run.Elapsed;
                metrics["msgs_per_s"] = entries / elapsed.TotalSeconds;
                metrics["p50_ms"] = run.P50Ms;
                metrics["p99_ms"] = run.P99Ms;
                metrics["max_ms"] = run.MaxMs;
                break;
            case "W6":
                elapsed = engine.PointReads(directory, entries, spec.Reads, spec.Seed);
                metrics["reads_per_s"] = spec.Reads / elapsed.TotalSeconds;
                break;
            default:
                throw new ArgumentException($"unknown workload '{spec.Workload}' (W1..W6)");
        }

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

/// <summary>Command-line options of the form <c>--name value</c>.</summary>
public static class Options
{
    public static string? Get(IReadOnlyList<string> args, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (int i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
