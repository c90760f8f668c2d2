using Quasar.Storage.Files;

namespace Quasar.Tests.Support.PowerLoss;

/// <summary>
/// A file system that can lose power, deterministically and in-process. It works on real files in
/// real directories (so memory maps are real mappings and the directory lock works) and keeps, in
/// memory, a shadow of what is durable: per file, its size and 4 KiB pages as of its last data
/// sync (a mapping's sync included); per directory, its entries as of its last directory sync.
/// Nothing is really synced: durability exists only in the shadow, which keeps the tests fast.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="PowerLoss"/> cuts the power: every later call through a file or mapping opened
/// before fails with an <see cref="IOException"/>, and so does every call at all until
/// <see cref="PowerOn"/>, so the abandoned Db can change nothing while it is disposed. The real
/// directories are then rewritten to what the disk would hold: the durable state plus the unsynced
/// changes the <see cref="PowerLossMode"/> keeps. Entry changes (creates, renames, unlinks) not
/// followed by a sync of their directory are undone unless kept; a directory whose own entry was
/// not made durable vanishes with its content. Every surviving file is written as a new file, so a
/// mapping the abandoned Db still holds points at an orphan and cannot touch it.
/// </para>
/// <para>
/// A file or directory met for the first time counts as durable as found; files made outside this
/// file system (the directory lock) are unknown to it and, not being durable, are removed by a
/// power loss in a directory it knows.
/// </para>
/// <para>
/// Protocol. Every change and every shadow update runs under <see cref="Gate"/>, the real change
/// included, so a power loss (which takes the lock) falls between two changes, never inside one.
/// Reads only check that the power is on.
/// </para>
/// </remarks>
internal sealed class PowerLossFileSystem : IFileSystem
{
    private readonly Dictionary<string, DirectoryShadow> directories = new(StringComparer.Ordinal);
    private readonly List<Inode> inodes = [];
    private long clock;
    private volatile int epoch;
    private volatile bool off;
    private (int Remaining, PowerLossMode Mode)? armed;

    /// <summary>The lock every change takes.</summary>
    public object Gate { get; } = new();

    /// <summary>Counts power losses; files opened before the last one are dead.</summary>
    public int Epoch => epoch;

    /// <summary>Whether the power is off (lost and not yet back on).</summary>
    public bool IsOff => off;

    /// <summary>How many calls that change the disk were made so far (for choosing where to cut).</summary>
    public long Changes => Interlocked.Read(ref clock);

    /// <summary>Loses power now.</summary>
    public void PowerLoss(PowerLossMode mode)
    {
        lock (Gate)
        {
            Lose(mode);
        }
    }

    /// <summary>Loses power at the call that changes the disk <paramref name="changes"/> calls from now (0: the next one), which fails; nothing of it happens.</summary>
    public void CutAt(int changes, PowerLossMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(changes);
        lock (Gate)
        {
            armed = (changes, mode);
        }
    }

    /// <summary>Cancels a <see cref="CutAt"/> that has not happened yet; returns whether one was pending.</summary>
    public bool Disarm()
    {
        lock (Gate)
        {
            bool pending = armed is not null;
            armed = null;
            return pending;
        }
    }

    /// <summary>Turns the power back on: new files can be opened; those opened before the loss stay dead.</summary>
    public void PowerOn() => off = false;

    /// <inheritdoc />
    public IStorageFile Open(string path, FileMode mode, bool writable)
    {
        path = Path.GetFullPath(path);
        lock (Gate)
        {
            bool creates = mode != FileMode.Open;
            long rank = creates ? Mutation(epoch) : Guard(epoch);
            DirectoryShadow? directory = ShadowIfExists(Path.GetDirectoryName(path)!);
            bool existed = File.Exists(path);
            long before = existed ? new FileInfo(path).Length : 0;
            var inner = new PhysicalFile(path, mode, writable);
            Inode inode;
            if (existed)
            {
                inode = Known(directory!, path);
                if (mode is FileMode.Create or FileMode.Truncate)
                {
                    inode.Resized(before, 0, rank);
                }
            }
            else
            {
                inode = NewInode(path);
                directory!.Change(rank, (Path.GetFileName(path), inode));
            }

            inode.Handles.Add(inner);
            return new PowerLossFile(this, inode, inner, epoch);
        }
    }

    /// <inheritdoc />
    public bool FileExists(string path)
    {
        Guard(epoch);
        return File.Exists(path);
    }

    /// <inheritdoc />
    public void Delete(string path)
    {
        path = Path.GetFullPath(path);
        lock (Gate)
        {
            long rank = Mutation(epoch);
            if (!File.Exists(path))
            {
                return;
            }

            DirectoryShadow directory = Shadow(Path.GetDirectoryName(path)!);
            Inode inode = Known(directory, path);
            if (inode.Handles.Count == 0)
            {
                inode.Freeze();
            }

            File.Delete(path);
            inode.Path = null;
            directory.Change(rank, (Path.GetFileName(path), null));
        }
    }

    /// <inheritdoc />
    public void Rename(string source, string destination)
    {
        source = Path.GetFullPath(source);
        destination = Path.GetFullPath(destination);
        lock (Gate)
        {
            long rank = Mutation(epoch);
            DirectoryShadow? from = ShadowIfExists(Path.GetDirectoryName(source)!);
            DirectoryShadow? to = ShadowIfExists(Path.GetDirectoryName(destination)!);
            Inode? moved = File.Exists(source) ? Known(from!, source) : null;
            Inode? replaced = File.Exists(destination) ? Known(to!, destination) : null;
            if (replaced is not null && replaced != moved && replaced.Handles.Count == 0)
            {
                replaced.Freeze();
            }

            File.Move(source, destination, overwrite: true); // throws for a missing source, as the real one does
            if (replaced is not null)
            {
                replaced.Path = null;
            }

            moved!.Path = destination;
            (string, DirectoryEntry?) unlink = (Path.GetFileName(source), null);
            (string, DirectoryEntry?) link = (Path.GetFileName(destination), moved);
            if (from == to)
            {
                from!.Change(rank, unlink, link);
            }
            else
            {
                from!.Change(rank, unlink);
                to!.Change(rank, link);
            }
        }
    }

    /// <inheritdoc />
    public bool DirectoryExists(string path)
    {
        Guard(epoch);
        return Directory.Exists(path);
    }

    /// <inheritdoc />
    public void CreateDirectory(string path)
    {
        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        lock (Gate)
        {
            long rank = Mutation(epoch);
            var missing = new Stack<string>();
            for (string? at = path; at is not null && !Directory.Exists(at); at = Path.GetDirectoryName(at))
            {
                missing.Push(at);
            }

            if (missing.Count == 0)
            {
                return;
            }

            // The parent's entries are taken in before the new directory appears among them.
            DirectoryShadow parent = Shadow(Path.GetDirectoryName(missing.Peek())!);
            Directory.CreateDirectory(path);
            foreach (string created in missing)
            {
                parent.Change(rank, (Path.GetFileName(created), SubdirectoryEntry.Instance));
                parent = new DirectoryShadow(created, []);
                directories[created] = parent;
            }
        }
    }

    /// <inheritdoc />
    public string[] ListFiles(string directory, string pattern)
    {
        Guard(epoch);
        return Directory.GetFiles(directory, pattern);
    }

    /// <inheritdoc />
    public void SyncDirectory(string path)
    {
        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        lock (Gate)
        {
            Mutation(epoch);
            if (!Directory.Exists(path))
            {
                throw new IOException($"Cannot open directory '{path}' to sync it (it does not exist).");
            }

            Shadow(path).Sync();
        }
    }

    /// <summary>Fails unless the power is on and <paramref name="openedIn"/> is the current epoch; returns the clock.</summary>
    public long Guard(int openedIn)
    {
        if (off)
        {
            throw new IOException("The power is off (a simulated power loss); nothing reaches the disk until it is turned back on.");
        }

        if (openedIn != epoch)
        {
            throw new IOException("The file was opened before a simulated power loss; the handle is dead.");
        }

        return clock;
    }

    /// <summary>Admits one change (under <see cref="Gate"/>): fails like <see cref="Guard"/>, or with the power loss <see cref="CutAt"/> armed for it; returns the change's rank.</summary>
    public long Mutation(int openedIn)
    {
        Guard(openedIn);
        if (armed is { } cut)
        {
            if (cut.Remaining == 0)
            {
                Lose(cut.Mode);
                throw new IOException("The power was lost during this call (a simulated power loss).");
            }

            armed = (cut.Remaining - 1, cut.Mode);
        }

        return Interlocked.Increment(ref clock);
    }

    private Inode NewInode(string path)
    {
        var inode = new Inode(inodes.Count) { Path = path };
        inodes.Add(inode);
        return inode;
    }

    /// <summary>The inode an existing file's name refers to, adopting one made outside this file system.</summary>
    private Inode Known(DirectoryShadow directory, string path)
    {
        string name = Path.GetFileName(path);
        if (directory.Current.GetValueOrDefault(name) is Inode inode)
        {
            return inode;
        }

        Inode adopted = Inode.Adopt(inodes.Count, path);
        inodes.Add(adopted);
        directory.Adopt(name, adopted);
        return adopted;
    }

    private DirectoryShadow? ShadowIfExists(string path) => Directory.Exists(path) ? Shadow(path) : null;

    /// <summary>The shadow of an existing directory, taking in what it holds as durable when it is met for the first time.</summary>
    private DirectoryShadow Shadow(string path)
    {
        path = Path.TrimEndingDirectorySeparator(path);
        if (!directories.TryGetValue(path, out DirectoryShadow? shadow))
        {
            var entries = new Dictionary<string, DirectoryEntry>(StringComparer.Ordinal);
            foreach (string file in Directory.GetFiles(path))
            {
                Inode inode = Inode.Adopt(inodes.Count, file);
                inodes.Add(inode);
                entries[Path.GetFileName(file)] = inode;
            }

            foreach (string subdirectory in Directory.GetDirectories(path))
            {
                entries[Path.GetFileName(subdirectory)] = SubdirectoryEntry.Instance;
            }

            shadow = new DirectoryShadow(path, entries);
            directories[path] = shadow;
        }

        return shadow;
    }

    /// <summary>Cuts the power and rewrites the known directories to what survives (see the remarks).</summary>
    private void Lose(PowerLossMode mode)
    {
        off = true;
        epoch++;
        armed = null;
        DiskAfterPowerLoss.Write(directories.Values, inodes, mode);
        directories.Clear();
        inodes.Clear();
    }
}
