using System.Buffers.Binary;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// The crash-safe record of a ledger's Tail (FORMAT.md, "Tail file"): two 32-byte copies, one
/// page apart, written alternately with an increasing generation. A torn write damages only the
/// copy being written; the other still holds the previous value.
/// </summary>
/// <remarks>
/// Generation g is written to offset 0 when g is odd, to 4096 when it is even; on open the valid
/// copy with the highest generation wins. Each copy (little-endian; offsets within the copy):
/// <code>
/// 0        4         8            16              24         28         32
/// +--------+---------+------------+---------------+----------+----------+
/// | magic  | version | generation | tail sequence | reserved | CRC-32C  |
/// | "QST1" | 1       | (from 1)   |               | 0        | of 0..27 |
/// +--------+---------+------------+---------------+----------+----------+
/// </code>
/// </remarks>
internal sealed class TailFile : IDisposable
{
    /// <summary>The tail file's name inside a ledger directory.</summary>
    public const string FileName = "tail";

    /// <summary>The format version this build writes and the only one it reads.</summary>
    public const uint Version = 1;

    /// <summary>"QST1": the first four bytes of each copy.</summary>
    public const uint Magic = 0x3154_5351; // bytes 'Q','S','T','1'

    /// <summary>Size of one copy.</summary>
    public const int RecordSize = 32;

    /// <summary>File offset of the second copy (its own page, so one torn page cannot take both).</summary>
    public const int SecondCopyOffset = 4096;

    private readonly IStorageFile file;
    private ulong generation;
    private bool broken;

    private TailFile(IStorageFile file, ulong generation, ulong tail)
    {
        this.file = file;
        this.generation = generation;
        Tail = tail;
    }

    /// <summary>The last persisted tail.</summary>
    public ulong Tail { get; private set; }

    /// <summary>Whether <see cref="Open"/> created the file: its name is durable only once the directory is synced.</summary>
    public bool Created { get; private init; }

    /// <summary>Reads the tail file; a missing file means tail 0.</summary>
    /// <exception cref="CorruptionException">Both copies are damaged (a torn first write is not damage: tail 0), or a copy names an unknown version.</exception>
    public static TailFile Open(IFileSystem fs, string path)
    {
        bool existed = fs.FileExists(path);
        IStorageFile file = fs.Open(path, FileMode.OpenOrCreate, writable: true);
        try
        {
            if (!existed || file.Length == 0)
            {
                return new TailFile(file, 0, 0) { Created = !existed };
            }

            Span<byte> buffer = stackalloc byte[RecordSize];
            (ulong Generation, ulong Tail)? best = null;
            var evidence = default(CopyEvidence);
            foreach (int offset in (ReadOnlySpan<int>)[0, SecondCopyOffset])
            {
                buffer.Clear();
                file.Read(buffer, offset);
                evidence.Observe(buffer, offset, file.Length);
                if (TryDecode(buffer, path, offset, out ulong copyGeneration, out ulong copyTail) && (best is null || copyGeneration > best.Value.Generation))
                {
                    best = (copyGeneration, copyTail);
                }
            }

            if (best is null && evidence.NoRecordCompleted)
            {
                // No tail record ever completed: the only write made (generation 1) tore, or a
                // power loss kept the file's size but none of its never-synced pages. Neither was
                // acknowledged as durable. Cut it off like any torn tail, so the file reads as
                // never written (Tail 0) and the checker finds it clean after this open.
                file.SetLength(0);
                file.SyncData();
                return new TailFile(file, 0, 0);
            }

            if (best is null)
            {
                throw new CorruptionException(path, 0, "both copies of the tail record are damaged");
            }

            return new TailFile(file, best.Value.Generation, best.Value.Tail);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What the two copies show about whether a tail record ever completed: the rule recovery and
    /// the checker share. No record completed when both copies read as zeros (a power loss kept
    /// the file's size but none of its never-synced pages), or when the first write tore: the
    /// second copy was never written (that would have extended the file past its offset) and the
    /// first is shorter than a copy (a write that failed halfway) or all zeros. A complete copy
    /// that fails its checksum is damage, not a torn write: it may hold an acknowledged delete.
    /// </summary>
    public struct CopyEvidence
    {
        private bool firstWriteIncomplete;
        private bool anyWritten;

        /// <summary>Takes in the copy read at <paramref name="offset"/> of a file of <paramref name="length"/> bytes.</summary>
        public void Observe(ReadOnlySpan<byte> copy, int offset, long length)
        {
            bool written = copy.ContainsAnyExcept((byte)0);
            anyWritten |= written;
            firstWriteIncomplete |= offset == 0 && length <= SecondCopyOffset && (length < RecordSize || !written);
        }

        /// <summary>Whether no tail record ever completed (when no copy decodes, the tail is then 0).</summary>
        public readonly bool NoRecordCompleted => firstWriteIncomplete || !anyWritten;
    }

    /// <summary>Persists a new tail into the older copy; durable on return when <paramref name="sync"/>; a failure leaves the file as it was (or, when even that fails, refuses every later write and sync until a reopen).</summary>
    public void Write(ulong tail, bool sync)
    {
        ulong next = generation + 1;
        Span<byte> record = stackalloc byte[RecordSize];
        BinaryPrimitives.WriteUInt32LittleEndian(record, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Version);
        BinaryPrimitives.WriteUInt64LittleEndian(record[8..], next);
        BinaryPrimitives.WriteUInt64LittleEndian(record[16..], tail);
        BinaryPrimitives.WriteUInt32LittleEndian(record[24..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(record[28..], Crc32C.Compute(record[..28]));
        // A failed write leaves no trace, as a failed append does (storage review F18): else a
        // Delete that threw could take effect after a restart.
        file.OverwriteOrRestore(record, (next & 1) == 1 ? 0 : SecondCopyOffset, sync, ref broken);
        generation = next;
        Tail = tail;
    }

    /// <summary>Makes the last write durable.</summary>
    public void Sync()
    {
        file.ThrowIfBroken(broken);
        file.SyncData();
    }

    /// <inheritdoc />
    public void Dispose() => file.Dispose();

    /// <summary>Decodes one copy; false when its magic or checksum is off (a torn or never-written copy).</summary>
    /// <exception cref="CorruptionException">The copy is intact but names a version this build does not read.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> record, string path, int offset, out ulong generation, out ulong tail)
    {
        generation = BinaryPrimitives.ReadUInt64LittleEndian(record[8..]);
        tail = BinaryPrimitives.ReadUInt64LittleEndian(record[16..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(record[28..]) != Crc32C.Compute(record[..28]))
        {
            return false;
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(record[4..]);
        if (version != Version)
        {
            throw new CorruptionException(path, offset + 4, $"unsupported tail record version {version} (this build reads version {Version}); the file was left untouched");
        }

        return true;
    }
}
