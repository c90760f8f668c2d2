using Quasar.Storage.Files;

namespace Quasar.Tests.Support;

/// <summary>
/// The real file system with injected failures, and a recorder of every call that changes or
/// lists it. A call fails with an <see cref="IOException"/> when one of the <see cref="Inject"/>ed
/// rules (operation x path pattern x n-th call) or the <see cref="Fail"/> predicate says so; a
/// write can first write half its bytes. Reads and existence checks pass through unrecorded.
/// </summary>
/// <remarks>
/// Thread-safe: the rules, the recording and the call counts live under one lock, so calls from
/// several threads get distinct ordinals; the I/O and the <see cref="Fail"/> predicate run outside it.
/// </remarks>
internal sealed class FaultyFileSystem : IFileSystem
{
    private readonly PhysicalFileSystem inner = PhysicalFileSystem.Instance;
    private readonly object gate = new();
    private readonly List<FaultRule> rules = [];
    private readonly Dictionary<(FileFault, string), int> occurrences = [];
    private List<FileCall>? recording;
    private int ordinal;

    /// <summary>
    /// An ad-hoc rule: returns true to fail the operation on the path; null: nothing fails. A write
    /// is asked as <see cref="FileFault.PartialWrite"/> first, then as <see cref="FileFault.Write"/>.
    /// </summary>
    public Func<FileFault, string, bool>? Fail { get; set; }

    /// <summary>
    /// Whether a sync of a file opened read-only fails, as on Windows, where FlushFileBuffers needs
    /// write access (Linux and macOS accept fsync on a read-only descriptor, so a test there
    /// would not notice the engine relying on it).
    /// </summary>
    public bool RefuseReadOnlySync { get; set; }

    /// <summary>Adds a rule; its call count starts now.</summary>
    public void Inject(FaultRule rule)
    {
        lock (gate)
        {
            rules.Add(rule);
        }
    }

    /// <summary>Removes every rule and the <see cref="Fail"/> predicate.</summary>
    public void Heal()
    {
        lock (gate)
        {
            rules.Clear();
            Fail = null;
        }
    }

    /// <summary>Starts recording calls (forgetting an earlier recording); ordinals and occurrences count from here.</summary>
    public void StartRecording()
    {
        lock (gate)
        {
            recording = [];
            occurrences.Clear();
            ordinal = 0;
        }
    }

    /// <summary>Stops recording and returns the calls made since <see cref="StartRecording"/>, in order.</summary>
    public IReadOnlyList<FileCall> StopRecording()
    {
        lock (gate)
        {
            List<FileCall> calls = recording ?? [];
            recording = null;
            return calls;
        }
    }

    public IStorageFile Open(string path, FileMode mode, bool writable)
    {
        Check(FileFault.Open, path);
        return new FaultyFile(this, inner.Open(path, mode, writable), writable);
    }

    public bool FileExists(string path) => inner.FileExists(path);

    public void Delete(string path)
    {
        Check(FileFault.Delete, path);
        inner.Delete(path);
    }

    public void Rename(string source, string destination)
    {
        Check(FileFault.Rename, source);
        inner.Rename(source, destination);
    }

    public bool DirectoryExists(string path) => inner.DirectoryExists(path);

    public void CreateDirectory(string path)
    {
        Check(FileFault.CreateDirectory, path);
        inner.CreateDirectory(path);
    }

    public string[] ListFiles(string directory, string pattern)
    {
        Check(FileFault.ListFiles, directory);
        return inner.ListFiles(directory, pattern);
    }

    public void SyncDirectory(string path)
    {
        Check(FileFault.SyncDirectory, path);
        inner.SyncDirectory(path);
    }

    /// <summary>Records the call and throws when a rule fails it.</summary>
    internal void Check(FileFault operation, string path)
    {
        if (Decide(operation, path) is not null)
        {
            throw Injected(operation, path);
        }
    }

    /// <summary>Records the call; the effect to inject, or null to let it run.</summary>
    internal FaultEffect? Decide(FileFault operation, string path)
    {
        FaultEffect? effect = null;
        Func<FileFault, string, bool>? fail;
        lock (gate)
        {
            if (recording is not null)
            {
                var key = (operation, path);
                int occurrence = occurrences.GetValueOrDefault(key) + 1;
                occurrences[key] = occurrence;
                recording.Add(new FileCall(operation, path, ++ordinal, occurrence));
            }

            foreach (FaultRule rule in rules)
            {
                // Every rule counts the call, even after an earlier one decided: rules stay independent.
                if (rule.Fails(operation, path))
                {
                    effect ??= rule.Effect;
                }
            }

            fail = Fail;
        }

        // The predicate runs outside the lock: a test's predicate may wait for another thread's I/O.
        if (effect is null && operation == FileFault.Write && fail?.Invoke(FileFault.PartialWrite, path) == true)
        {
            effect = FaultEffect.Partial;
        }

        if (effect is null && fail?.Invoke(operation, path) == true)
        {
            effect = FaultEffect.Throw;
        }

        return effect;
    }

    internal static IOException Injected(FileFault operation, string path) =>
        new($"injected {operation} failure on {path}");
}
