using System.Buffers;
using System.IO.Pipelines;

namespace Quasar.Storage;

/// <summary>
/// Reads one file front to back through a <see cref="PipeReader"/>, for parsers of back-to-back
/// records of unknown length: a parser asks for the next few bytes (<see cref="Peek"/>),
/// consumes them, and streams longer runs (payloads) through <see cref="Checksum"/> without
/// ever holding more than the pipe's buffer. Reading stops at the length the file had when it was
/// opened, so a file that a live process appends to reads as a consistent prefix.
/// </summary>
/// <remarks>Not thread-safe: one parser owns a cursor.</remarks>
internal sealed class FileCursor : IDisposable
{
    private readonly FileStream stream;
    private readonly PipeReader reader;
    private readonly byte[] scratch = new byte[MaxPeek];
    private ReadOnlySequence<byte> buffer;
    private bool started;
    private bool completed;

    private FileCursor(FileStream stream, int bufferSize)
    {
        this.stream = stream;
        Length = stream.Length;
        reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: bufferSize, minimumReadSize: Math.Min(bufferSize, 4096), leaveOpen: true));
    }

    /// <summary>The most bytes one <see cref="Peek"/> returns.</summary>
    public const int MaxPeek = 64;

    /// <summary>The file's path.</summary>
    public string Path => stream.Name;

    /// <summary>The file's length when it was opened; nothing past it is read.</summary>
    public long Length { get; }

    /// <summary>The file offset of the next unread byte.</summary>
    public long Position { get; private set; }

    /// <summary>The bytes left before <see cref="Length"/>.</summary>
    public long Remaining => Length - Position;

    /// <summary>Opens <paramref name="path"/> for reading only, sharing it with writers and deleters (never creating it).</summary>
    public static FileCursor Open(string path, int bufferSize) =>
        new(new SynchronousFileStream(path), bufferSize);

    /// <summary>
    /// The next <paramref name="count"/> bytes (at most <see cref="MaxPeek"/>) without consuming
    /// them; shorter only when the file ends first. Valid until the next call on the cursor.
    /// </summary>
    public ReadOnlyMemory<byte> Peek(int count)
    {
        count = (int)Math.Min(count, Remaining);
        Fill(count);
        int available = (int)Math.Min(count, buffer.Length);
        buffer.Slice(0, available).CopyTo(scratch);
        return scratch.AsMemory(0, available);
    }

    /// <summary>Consumes <paramref name="count"/> bytes unread; returns how many were there (fewer when the file ended first).</summary>
    public long Skip(long count)
    {
        long done = 0;
        count = Math.Min(count, Remaining);
        while (done < count && Fill(1))
        {
            done += Advance(Math.Min(count - done, buffer.Length));
        }

        return done;
    }

    /// <summary>
    /// Consumes <paramref name="count"/> bytes into a running CRC-32C <paramref name="state"/>
    /// (<see cref="Crc32C.Append(uint, ReadOnlySpan{byte})"/>); null when the file ends first.
    /// </summary>
    public uint? Checksum(long count, uint state)
    {
        long done = 0;
        while (done < count)
        {
            if (Remaining == 0 || !Fill(1))
            {
                return null;
            }

            long take = Math.Min(Math.Min(count - done, buffer.Length), Remaining);
            foreach (ReadOnlyMemory<byte> piece in buffer.Slice(0, take))
            {
                state = Crc32C.Append(state, piece.Span);
            }

            done += Advance(take);
        }

        return state;
    }

    /// <summary>Consumes bytes into all of <paramref name="destination"/>; false when the file ends first.</summary>
    public bool Read(Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            if (Remaining == 0 || !Fill(1))
            {
                return false;
            }

            int take = (int)Math.Min(Math.Min(destination.Length - done, buffer.Length), Remaining);
            buffer.Slice(0, take).CopyTo(destination[done..]);
            done += (int)Advance(take);
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        reader.Complete();
        stream.Dispose();
    }

    /// <summary>Consumes <paramref name="count"/> buffered bytes.</summary>
    private long Advance(long count)
    {
        buffer = buffer.Slice(count);
        Position += count;
        return count;
    }

    /// <summary>Reads until at least <paramref name="count"/> unconsumed bytes are buffered or the file ends; whether they are.</summary>
    private bool Fill(long count)
    {
        while (buffer.Length < count && !completed)
        {
            if (started)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }

            // The stream completes every read synchronously (SynchronousFileStream), so the pipe
            // is read without blocking and without an asynchronous state machine per call.
            ValueTask<ReadResult> read = reader.ReadAsync();
            ReadResult result = read.IsCompleted ? read.Result : read.AsTask().GetAwaiter().GetResult();
            started = true;
            buffer = result.Buffer;
            completed = result.IsCompleted;
        }

        return buffer.Length >= count;
    }
}
