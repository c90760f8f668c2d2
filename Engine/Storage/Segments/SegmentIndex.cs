using System.Runtime.InteropServices;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// A segment's memory-mapped index file (FORMAT.md, "Index file"; byte layout in
/// <see cref="IndexFormat"/>): the header, the fixed-size slots, the sealed header with its slot
/// checksum, and the lazy verification of that checksum on the first read that needs the slots.
/// </summary>
/// <remarks>
/// Protocol. Only the log's single writer and recovery write slots and the header; readers read
/// slots below the segment's published count, which the writer raises only after the slots are
/// written. <c>verified</c> goes from false to true once (a volatile write, after the check or the
/// repair); <c>verifyLock</c> makes the first readers of an unverified index wait for one check,
/// and the repair swaps <c>file</c>, <c>map</c> and <c>slots</c> under it. No slot is read before
/// verification outside that lock (Head asks <see cref="IsVerified"/> first and answers from the
/// segment's recorded last sequence instead). The mapping is unmapped only when the owning
/// segment's last lease is returned.
/// </remarks>
internal sealed unsafe partial class SegmentIndex : IDisposable
{
    private readonly object verifyLock = new();
    private IStorageFile file;
    private IMappedRegion map;
    private byte* slots;
    private IndexFormat.Header header;
    private volatile bool verified;

    // A repair that failed: later reads raise the same error instead of rebuilding (and failing) again.
    private CorruptionException? unrepairable;

    // Null for a read-only (sealed) index, which is never stored into.
    private IndexReservation? reservation;

    private SegmentIndex(IStorageFile file, IMappedRegion map, IndexFormat.Header header, bool verified, IndexReservation? reservation)
    {
        this.file = file;
        this.map = map;
        this.header = header;
        this.verified = verified;
        this.reservation = reservation;
        slots = map.Pointer + IndexFormat.HeaderSize;
    }

    /// <summary>The decoded header as found on open or last written.</summary>
    public IndexFormat.Header Header => header;

    /// <summary>How many slots the mapping can hold.</summary>
    public long SlotCapacity => (map.Capacity - IndexFormat.HeaderSize) / IndexFormat.SlotSize;

    /// <summary>Whether the slots may be read unchecked (written here, or their checksum matched).</summary>
    public bool IsVerified => verified;

    /// <summary>Trusts the slots of a sealed index reopened after its checksum matched once in this process (the file is ours while the directory is locked).</summary>
    public void MarkVerified() => verified = true;

    /// <summary>
    /// Called, under the verification lock, when the sealed slots fail their checksum on first
    /// use: recovery sets it to rebuild the index from the segment's data (see <see cref="Replace"/>).
    /// Without it, a mismatch is reported as corruption.
    /// </summary>
    public Action? Repair { get; set; }

    /// <summary>The byte size of a mapping with room for <paramref name="slotCount"/> slots, rounded up to whole pages.</summary>
    public static long CapacityBytes(long slotCount) =>
        (IndexFormat.HeaderSize + (Math.Max(slotCount, 1) * IndexFormat.SlotSize) + 4095) & ~4095L;

    /// <summary>Creates a fresh active index file at <paramref name="path"/> (replacing any old one) with room for <paramref name="slotCapacity"/> slots.</summary>
    public static SegmentIndex Create(IFileSystem fs, string path, ulong baseSequence, long slotCapacity)
    {
        IStorageFile file = fs.Open(path, FileMode.Create, writable: true);
        try
        {
            IMappedRegion map = file.Map(CapacityBytes(slotCapacity), writable: true);
            var index = new SegmentIndex(file, map, default, verified: true, new IndexReservation(file, map.Capacity, fresh: true));
            try
            {
                index.WriteHeader(new IndexFormat.Header(IndexFormat.StateActive, baseSequence, 0, 0));
                return index;
            }
            catch
            {
                map.Dispose();
                throw;
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Maps the first <paramref name="mapBytes"/> bytes of an existing index file and decodes its
    /// header; null (the file closed) when the header is invalid. Its slots start unverified.
    /// </summary>
    /// <exception cref="CorruptionException">The header names a format version this build does not read (the file is closed).</exception>
    private static SegmentIndex? TryOpen(IStorageFile file, long mapBytes, bool writable)
    {
        IMappedRegion? map = null;
        try
        {
            map = file.Map(mapBytes, writable);
            if (IndexFormat.TryReadHeader(new ReadOnlySpan<byte>(map.Pointer, IndexFormat.HeaderSize), file.Path, out IndexFormat.Header header))
            {
                return new SegmentIndex(file, map, header, verified: false, writable ? new IndexReservation(file, map.Capacity, fresh: false) : null);
            }
        }
        catch
        {
            map?.Dispose();
            file.Dispose();
            throw;
        }

        map.Dispose();
        file.Dispose();
        return null;
    }

    /// <summary>
    /// Opens a sealed segment's index file read-only; null, with <paramref name="problem"/> saying
    /// why, when it is missing, short, or its header is invalid or does not describe a sealed
    /// segment starting at <paramref name="baseSequence"/> with a count the file can hold.
    /// </summary>
    /// <exception cref="CorruptionException">The header names a format version this build does not read.</exception>
    public static SegmentIndex? TryOpenSealed(IFileSystem fs, string path, ulong baseSequence, out string? problem)
    {
        if (!fs.FileExists(path))
        {
            problem = "index file missing";
            return null;
        }

        IStorageFile file = fs.Open(path, FileMode.Open, writable: false);
        long length = LengthOrClose(file);
        if (length < IndexFormat.HeaderSize + IndexFormat.SlotSize)
        {
            file.Dispose();
            problem = $"index file is {length} bytes";
            return null;
        }

        SegmentIndex? index = TryOpen(file, length, writable: false);
        if (index is null)
        {
            problem = "index header invalid";
            return null;
        }

        IndexFormat.Header header = index.Header;
        if (header.State != IndexFormat.StateSealed || header.BaseSequence != baseSequence || header.SlotCount < 1
            || header.SlotCount > (length - IndexFormat.HeaderSize) / IndexFormat.SlotSize)
        {
            index.Dispose();
            problem = "index header does not describe this sealed segment";
            return null;
        }

        problem = null;
        return index;
    }

    /// <summary>
    /// Opens the last segment's index file read-write, mapped with room for at least
    /// <paramref name="slotCapacity"/> slots; null when it is missing (<paramref name="existed"/>
    /// false) or its header is invalid or names another base sequence.
    /// </summary>
    /// <exception cref="CorruptionException">The header names a format version this build does not read.</exception>
    public static SegmentIndex? TryOpenActive(IFileSystem fs, string path, ulong baseSequence, long slotCapacity, out bool existed)
    {
        existed = fs.FileExists(path);
        if (!existed)
        {
            return null;
        }

        IStorageFile file = fs.Open(path, FileMode.Open, writable: true);
        long length = LengthOrClose(file);
        if (length < IndexFormat.HeaderSize)
        {
            file.Dispose();
            return null;
        }

        // Rounded up: a file that is not a header plus whole slots long (bytes appended past the
        // last slot) must still fit in the mapping, which cannot be smaller than the file.
        long slotCount = Math.Max(slotCapacity, (length - IndexFormat.HeaderSize + IndexFormat.SlotSize - 1) / IndexFormat.SlotSize);
        SegmentIndex? index = TryOpen(file, CapacityBytes(slotCount), writable: true);
        if (index is not null && index.Header.BaseSequence != baseSequence)
        {
            index.Dispose();
            return null;
        }

        return index;
    }

    /// <summary>The file's length; closes the file when even that fails.</summary>
    private static long LengthOrClose(IStorageFile file)
    {
        try
        {
            return file.Length;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads slot <paramref name="i"/> without checking it (for verified slots and the writer).</summary>
    public IndexFormat.Slot GetSlot(long i) => IndexFormat.ReadSlotUnchecked(SlotBytes(i));

    /// <summary>Reads slot <paramref name="i"/> and checks it; false when it is empty or damaged.</summary>
    public bool TryGetSlot(long i, out IndexFormat.Slot slot) => IndexFormat.TryReadSlot(SlotBytes(i), out slot);

    /// <summary>Whether slot <paramref name="i"/> was never written (all zero).</summary>
    public bool IsSlotEmpty(long i) => IndexFormat.IsEmpty(SlotBytes(i));

    /// <summary>
    /// Allocates the file space of the slots from <paramref name="slotStart"/> below
    /// <paramref name="slotEnd"/> (and a chunk ahead) before they are stored, so that a full disk
    /// is an <see cref="IOException"/> here and never a SIGBUS in the store (see
    /// <see cref="IndexReservation"/>). The writer calls it before a batch's slots are stored.
    /// </summary>
    /// <exception cref="IOException">The space could not be allocated; nothing was stored.</exception>
    public void ReserveSlots(long slotStart, long slotEnd) =>
        Reservation.Reserve(IndexFormat.HeaderSize + (slotStart * IndexFormat.SlotSize), IndexFormat.HeaderSize + (slotEnd * IndexFormat.SlotSize));

    /// <summary>The writable index's reservation (a read-only index is never stored into).</summary>
    private IndexReservation Reservation => reservation ?? throw new InvalidOperationException($"'{file.Path}' was opened read-only.");

    /// <summary>Writes slot <paramref name="i"/> (the writer and recovery only, after <see cref="ReserveSlots"/>).</summary>
    public void SetSlot(long i, IndexFormat.Slot slot) => IndexFormat.WriteSlot(SlotBytes(i), slot);

    /// <summary>Zeroes slots from <paramref name="from"/> up to <paramref name="to"/> (exclusive), reserving their space first.</summary>
    /// <exception cref="IOException">The space could not be allocated; nothing was cleared.</exception>
    public void ClearSlots(long from, long to)
    {
        if (to > from)
        {
            ReserveSlots(from, to);
            NativeMemory.Clear(slots + (from * IndexFormat.SlotSize), (nuint)((to - from) * IndexFormat.SlotSize));
        }
    }

    /// <summary>The 16 mapped bytes of slot <paramref name="i"/>.</summary>
    private Span<byte> SlotBytes(long i) => new(slots + (i * IndexFormat.SlotSize), IndexFormat.SlotSize);

    /// <summary>
    /// Seals the index at <paramref name="slotCount"/> slots: the header gets the final count and
    /// the slots' checksum, the mapping is synced, and the file is trimmed to its used size.
    /// </summary>
    public void Seal(long slotCount)
    {
        EnsureVerified(); // an index opened by its clean-close record: the checksum must not bless unchecked slots
        WriteHeader(new IndexFormat.Header(IndexFormat.StateSealed, header.BaseSequence, slotCount, SlotsChecksum(slotCount)));
        map.Sync();
        if (!OperatingSystem.IsWindows())
        {
            // Windows cannot shrink a mapped file; elsewhere the pages past the end are never touched again.
            file.SetLength(IndexFormat.HeaderSize + (slotCount * IndexFormat.SlotSize));
            file.SyncData();
        }
    }

    /// <summary>
    /// Makes a recovered index the active one: its slots were just checked, and its header is
    /// reset to the active state (a crash between sealing it and creating the next segment can
    /// leave it marked sealed) with <paramref name="syncedSlots"/>, the slots whose data is known
    /// to be on disk.
    /// </summary>
    public void Activate(long syncedSlots)
    {
        MarkSynced(syncedSlots);
        verified = true;
    }

    /// <summary>
    /// Records in the active header that the data of the first <paramref name="slotCount"/> slots
    /// is on disk (only after the data sync: the header page may reach the disk at any time).
    /// Recovery validates the data of every slot past it.
    /// </summary>
    public void MarkSynced(long slotCount) =>
        WriteHeader(new IndexFormat.Header(IndexFormat.StateActive, header.BaseSequence, slotCount, 0));

    /// <summary>Encodes <paramref name="value"/> into the mapped header and remembers it.</summary>
    private void WriteHeader(IndexFormat.Header value)
    {
        Reservation.ReserveHeader(IndexFormat.HeaderSize);
        header = value;
        IndexFormat.WriteHeader(new Span<byte>(map.Pointer, IndexFormat.HeaderSize), value);
    }

    /// <summary>Whether the slots the sealed header records match its slot checksum.</summary>
    public bool SlotsMatchChecksum()
    {
        long count = header.SlotCount;
        return count <= SlotCapacity && SlotsChecksum(count) == header.SlotsChecksum;
    }

    /// <summary>The CRC-32C of the first <paramref name="count"/> slots, in pieces a span can hold (a segment may have more than 2 GiB of slots).</summary>
    private uint SlotsChecksum(long count)
    {
        uint state = Crc32C.Start();
        long bytes = count * IndexFormat.SlotSize;
        for (long done = 0; done < bytes; done += int.MaxValue / 2)
        {
            state = Crc32C.Append(state, new ReadOnlySpan<byte>(slots + done, (int)Math.Min(int.MaxValue / 2, bytes - done)));
        }

        return Crc32C.Finish(state);
    }

    /// <summary>
    /// Verifies the sealed slot checksum once, on the first read that needs the slots (opening a
    /// ledger must not read every sealed index); a mismatch runs <see cref="Repair"/>.
    /// </summary>
    /// <exception cref="CorruptionException">The checksum does not match and there is no <see cref="Repair"/>.</exception>
    public void EnsureVerified()
    {
        if (verified)
        {
            return;
        }

        lock (verifyLock)
        {
            if (verified)
            {
                return;
            }

            if (unrepairable is not null)
            {
                throw unrepairable;
            }

            if (!SlotsMatchChecksum())
            {
                try
                {
                    (Repair ?? throw new CorruptionException(file.Path, IndexFormat.HeaderSize, "index slots checksum mismatch"))();
                }
                catch (CorruptionException error)
                {
                    unrepairable = error; // the data does not change, so neither would a retry's outcome (F17)
                    throw;
                }
            }

            verified = true;
        }
    }

    /// <summary>
    /// Takes over the file and mapping of <paramref name="rebuilt"/> (an index rebuilt from the
    /// same segment's data), closing this one's; only while no reader can be using these slots.
    /// </summary>
    public void Replace(SegmentIndex rebuilt)
    {
        Dispose();
        file = rebuilt.file;
        map = rebuilt.map;
        slots = rebuilt.slots;
        header = rebuilt.header;
        reservation = rebuilt.reservation;
    }

    /// <summary>Unmaps and closes the file.</summary>
    public void Dispose()
    {
        map.Dispose();
        file.Dispose();
    }
}
