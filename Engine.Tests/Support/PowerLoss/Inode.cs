using Quasar.Storage.Files;

namespace Quasar.Tests.Support.PowerLoss;

/// <summary>What a directory entry names: a file (<see cref="Inode"/>) or a subdirectory.</summary>
internal abstract class DirectoryEntry
{
}

/// <summary>A subdirectory's entry; directories are known by path (the seam cannot rename them).</summary>
internal sealed class SubdirectoryEntry : DirectoryEntry
{
    public static SubdirectoryEntry Instance { get; } = new();
}

/// <summary>
/// The shadow of one file's identity (it keeps its identity through renames): its durable size and
/// pages (the content at its last sync) and, since then, which pages and size changes were made
/// when. Its current content lives in the real file; once the file is unlinked and closed, a
/// frozen copy of its unsynced pages stands in (an unsynced unlink can be undone by a power loss).
/// Guarded by the file system's lock.
/// </summary>
internal sealed class Inode(long id) : DirectoryEntry
{
    /// <summary>The page size of the simulated disk: pages are lost or kept whole.</summary>
    public const int PageSize = 4096;

    private readonly Dictionary<long, byte[]> durablePages = [];
    private readonly SortedDictionary<long, long> dirtyPages = []; // page -> rank of its last change
    private long? sizeRank;
    private bool mappedSinceSync;
    private int writableMaps;
    private (long Length, Dictionary<long, byte[]> Pages)? frozen;

    /// <summary>Assigned at creation, in creation order (the order outcomes are drawn in).</summary>
    public long Id { get; } = id;

    /// <summary>The size at the last sync.</summary>
    public long DurableLength { get; private set; }

    /// <summary>The file's current name; null once unlinked.</summary>
    public string? Path { get; set; }

    /// <summary>The open handles, through which the content of an unlinked file can still be read.</summary>
    public List<IStorageFile> Handles { get; } = [];

    /// <summary>An existing file the file system meets for the first time: what it holds counts as durable.</summary>
    public static Inode Adopt(long id, string path)
    {
        var inode = new Inode(id) { Path = path };
        inode.DurableLength = inode.CurrentLength();
        for (long page = 0; page * PageSize < inode.DurableLength; page++)
        {
            inode.durablePages[page] = inode.CurrentPage(page);
        }

        return inode;
    }

    /// <summary>Records a change of <paramref name="count"/> bytes at <paramref name="offset"/> (a write or, with the old and new size, a size change).</summary>
    public void Changed(long offset, long count, long rank)
    {
        for (long page = offset / PageSize; page * PageSize < offset + count; page++)
        {
            dirtyPages[page] = rank;
        }
    }

    /// <summary>Records a write of <paramref name="count"/> bytes at <paramref name="offset"/> into a file of <paramref name="lengthBefore"/> bytes.</summary>
    public void Written(long offset, int count, long lengthBefore, long rank)
    {
        if (offset + count > lengthBefore)
        {
            Resized(lengthBefore, offset + count, rank);
        }

        Changed(offset, count, rank);
    }

    /// <summary>Records a size change from <paramref name="from"/> to <paramref name="to"/>; the pages between change too.</summary>
    public void Resized(long from, long to, long rank)
    {
        if (from != to)
        {
            sizeRank = rank;
            Changed(Math.Min(from, to), Math.Abs(to - from), rank);
        }
    }

    /// <summary>A writable mapping was made: any of its pages may change without a call.</summary>
    public void Mapped()
    {
        writableMaps++;
        mappedSinceSync = true;
    }

    /// <summary>A writable mapping was closed.</summary>
    public void Unmapped() => writableMaps--;

    /// <summary>fdatasync: the current size and every page become durable.</summary>
    public void Sync()
    {
        long length = CurrentLength();
        foreach (long page in CandidatePages(length))
        {
            durablePages.Remove(page);
            if (page * PageSize < length)
            {
                durablePages[page] = CurrentPage(page);
            }
        }

        DurableLength = length;
        dirtyPages.Clear();
        sizeRank = null;
        mappedSinceSync = writableMaps > 0;
    }

    /// <summary>Keeps the unsynced pages of a file that is now unlinked and closed, read while it still can be.</summary>
    public void Freeze()
    {
        long length = CurrentLength();
        frozen = (length, CandidatePages(length).ToDictionary(page => page, CurrentPage));
    }

    /// <summary>The ranks of every unsynced change (for the time cut).</summary>
    public IEnumerable<long> Ranks()
    {
        long length = CurrentLength();
        IEnumerable<long> pages = CandidatePages(length).Select(RankOf);
        return sizeRank is long size ? pages.Append(size) : pages;
    }

    /// <summary>What the disk holds after a power loss: the durable pages plus the unsynced ones <paramref name="chooser"/> keeps.</summary>
    public byte[] AfterPowerLoss(SurvivorChooser chooser, bool zeroFilledTails)
    {
        long current = CurrentLength();
        bool sizeKept = current != DurableLength && (zeroFilledTails || chooser.Keeps(sizeRank ?? SurvivorChooser.Unknown));
        var content = new byte[sizeKept ? current : DurableLength];
        foreach ((long page, byte[] bytes) in durablePages)
        {
            CopyPage(bytes, page, content, PageSize);
        }

        foreach (long page in CandidatePages(current))
        {
            if (chooser.Keeps(RankOf(page)) && page * PageSize < current)
            {
                CopyPage(CurrentPage(page), page, content, (int)Math.Min(PageSize, current - (page * PageSize)));
            }
        }

        return content;
    }

    private static void CopyPage(byte[] page, long index, byte[] content, int count)
    {
        long start = index * PageSize;
        int length = (int)Math.Min(count, content.Length - start);
        if (length > 0)
        {
            page.AsSpan(0, length).CopyTo(content.AsSpan((int)start));
        }
    }

    private long RankOf(long page) => dirtyPages.TryGetValue(page, out long rank) ? rank : SurvivorChooser.Unknown;

    /// <summary>The pages that may differ from the durable ones, in page order.</summary>
    private IEnumerable<long> CandidatePages(long currentLength)
    {
        if (!mappedSinceSync)
        {
            return [.. dirtyPages.Keys];
        }

        long end = Math.Max(currentLength, DurableLength);
        return [.. dirtyPages.Keys.Union(Enumerable.Range(0, (int)((end + PageSize - 1) / PageSize)).Select(p => (long)p)).Order()];
    }

    private long CurrentLength()
    {
        if (frozen is { } copy)
        {
            return copy.Length;
        }

        if (Handles.Count > 0)
        {
            return Handles[0].Length;
        }

        return new FileInfo(Path!).Length;
    }

    /// <summary>One page of the current content, zero-padded past the end.</summary>
    private byte[] CurrentPage(long page)
    {
        var bytes = new byte[PageSize];
        if (frozen is { } copy)
        {
            return copy.Pages.TryGetValue(page, out byte[]? kept) ? kept : durablePages.GetValueOrDefault(page) ?? bytes;
        }

        if (Handles.Count > 0)
        {
            Handles[0].Read(bytes, page * PageSize);
            return bytes;
        }

        using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(Path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        int total = 0;
        while (total < PageSize)
        {
            int read = RandomAccess.Read(handle, bytes.AsSpan(total), (page * PageSize) + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return bytes;
    }
}
