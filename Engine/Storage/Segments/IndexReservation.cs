using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// Keeps the pages of a writable, memory-mapped index file allocated ahead of the slot and header
/// stores (storage review F1). Mapping a file extends it sparsely; the first store into a hole
/// page makes the file system allocate a block inside the page fault, and when that fails (a full
/// disk, a quota) the kernel kills the process with SIGBUS, which .NET cannot catch. So the bytes
/// are first written through the file's positional <see cref="IStorageFile.Write"/>, where a full
/// disk is an <see cref="IOException"/> from the call: every store through the mapping then lands
/// on an allocated page. (A copy-on-write file system such as btrfs can still need space for
/// an overwrite; no write path can prevent that.)
/// </summary>
/// <remarks>
/// Protocol: used only by the index's writer (the log's single writer, or recovery before the
/// segment is published), which also makes every store through the mapping; so re-writing the
/// bytes found in an existing file cannot race with a store. Readers only read the mapping, and a
/// re-write leaves the bytes they see unchanged.
/// </remarks>
internal sealed class IndexReservation(IStorageFile file, long capacity, bool fresh)
{
    /// <summary>
    /// How far ahead of the highest byte about to be stored the file is reserved, in one step: the
    /// index space of 16,384 slots. Measured on this machine's ext4 (dd, 100 MiB in 256 KiB
    /// writes: 22-32 ms): one step costs about 60 us (a read and re-write of an opened file's
    /// bytes, once per chunk after an open, about twice that), taken once per 16,384 slots: under
    /// 4 ns per entry against about 160 ns per entry of the fastest append (BENCHMARKS.md W1,
    /// 6.27 M entries/s), and most of it is the page allocation the stores' page faults would
    /// pay anyway. A ledger holds at most 256 KiB of index space it has not used yet, so
    /// thousands of ledgers reserve little disk; 1 MiB steps would save nothing measurable.
    /// </summary>
    public const int ChunkBytes = 256 * 1024;

    // A fresh file holds only zeros, so zeros are what a reservation writes there.
    private static readonly byte[] Zeros = new byte[ChunkBytes];

    // Bytes below reserved are allocated (from the floor up, in an opened file); only the writer moves it.
    private long reserved;

    /// <summary>
    /// Makes sure the bytes from <paramref name="start"/> to <paramref name="end"/> are allocated
    /// before anything is stored into them, reserving up to the next chunk boundary (at most the
    /// mapped capacity).
    /// </summary>
    /// <exception cref="IOException">The file system could not allocate the space (nothing was stored).</exception>
    public void Reserve(long start, long end)
    {
        if (end <= reserved)
        {
            return;
        }

        if (!fresh && reserved == 0)
        {
            // An opened file: the first store after the open sets the floor, from its page. Below
            // it lie only the header and slots read from the file, on pages allocated when they
            // were first written (recovery stepping back stores only over such slots); re-writing
            // them would make every open cost the whole index.
            reserved = start / PageBytes * PageBytes;
        }

        Extend(Math.Min(capacity, (end + ChunkBytes - 1) / ChunkBytes * ChunkBytes));
    }

    /// <summary>
    /// Makes sure the header's page is allocated before the header is stored: a fresh file reserves
    /// it like any bytes; in an opened file it is allocated already (its header was read from it),
    /// and reserving it there would set the floor below every slot.
    /// </summary>
    /// <exception cref="IOException">The file system could not allocate the space (nothing was stored).</exception>
    public void ReserveHeader(int headerBytes)
    {
        if (fresh)
        {
            Reserve(0, headerBytes);
        }
    }

    // The unit a file system allocates in (and the index file is sized in).
    private const long PageBytes = 4096;

    /// <summary>Writes the bytes from the reserved end to <paramref name="target"/>: zeros into a fresh file, else the bytes already there.</summary>
    private void Extend(long target)
    {
        using SpanOwner<byte> buffer = fresh ? SpanOwner<byte>.Empty : SpanOwner<byte>.Allocate(ChunkBytes, AllocationMode.Clear);
        while (reserved < target)
        {
            int length = (int)Math.Min(ChunkBytes, target - reserved);
            ReadOnlySpan<byte> bytes = Zeros.AsSpan(0, length);
            if (!fresh)
            {
                Span<byte> found = buffer.Span[..length];
                found[file.Read(found, reserved)..].Clear();
                bytes = found;
            }

            file.Write(bytes, reserved);
            reserved += length;
        }
    }
}
