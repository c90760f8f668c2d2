using Quasar.Storage.Files;

namespace Quasar.Tests.Support.PowerLoss;

/// <summary>
/// A real file opened through a <see cref="PowerLossFileSystem"/>: every change is recorded in the
/// file's shadow (<see cref="Inode"/>) before it is made, and every call fails with an
/// <see cref="IOException"/> once the power was lost after the file was opened.
/// </summary>
internal sealed class PowerLossFile(PowerLossFileSystem fileSystem, Inode inode, IStorageFile inner, int epoch) : IStorageFile
{
    private bool disposed;

    public string Path => inner.Path;

    public long Length
    {
        get
        {
            fileSystem.Guard(epoch);
            return inner.Length;
        }
    }

    public int Read(Span<byte> buffer, long offset)
    {
        fileSystem.Guard(epoch);
        return inner.Read(buffer, offset);
    }

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        lock (fileSystem.Gate)
        {
            long rank = fileSystem.Mutation(epoch);
            inode.Written(offset, data.Length, inner.Length, rank);
            inner.Write(data, offset);
        }
    }

    public void SyncData()
    {
        lock (fileSystem.Gate)
        {
            fileSystem.Mutation(epoch);
            inode.Sync();
        }
    }

    public void SetLength(long length)
    {
        lock (fileSystem.Gate)
        {
            long rank = fileSystem.Mutation(epoch);
            inode.Resized(inner.Length, length, rank);
            inner.SetLength(length);
        }
    }

    public IMappedRegion Map(long capacity, bool writable)
    {
        lock (fileSystem.Gate)
        {
            if (!writable)
            {
                fileSystem.Guard(epoch);
                return new Region(fileSystem, inode, inner.Map(capacity, writable), epoch, writable);
            }

            long rank = fileSystem.Mutation(epoch);
            long length = inner.Length;
            if (length < capacity)
            {
                inode.Resized(length, capacity, rank);
                inner.SetLength(capacity);
            }

            IMappedRegion region = inner.Map(capacity, writable);
            inode.Mapped();
            return new Region(fileSystem, inode, region, epoch, writable);
        }
    }

    public void Dispose()
    {
        lock (fileSystem.Gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            if (epoch == fileSystem.Epoch)
            {
                if (inode.Path is null && inode.Handles.Count == 1)
                {
                    // The last way to read an unlinked file's content goes: keep its unsynced pages.
                    inode.Freeze();
                }

                inode.Handles.Remove(inner);
            }
        }

        inner.Dispose();
    }

    /// <summary>A real mapping whose sync is recorded as the file's fdatasync (and fails after a power loss).</summary>
    private sealed unsafe class Region(PowerLossFileSystem fileSystem, Inode inode, IMappedRegion inner, int epoch, bool writable) : IMappedRegion
    {
        private bool disposed;

        public long Capacity => inner.Capacity;

        public byte* Pointer => inner.Pointer;

        public void Sync()
        {
            lock (fileSystem.Gate)
            {
                fileSystem.Mutation(epoch);
                inode.Sync();
            }
        }

        public void Dispose()
        {
            lock (fileSystem.Gate)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;
                if (writable && epoch == fileSystem.Epoch)
                {
                    inode.Unmapped();
                }
            }

            inner.Dispose();
        }
    }
}
