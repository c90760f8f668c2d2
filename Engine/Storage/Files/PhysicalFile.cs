using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Quasar.Storage.Files;

/// <summary>A file opened through <see cref="RandomAccess"/> positional I/O.</summary>
internal sealed class PhysicalFile : IStorageFile
{
    private readonly SafeFileHandle handle;
    private readonly bool writable;

    public PhysicalFile(string path, FileMode mode, bool writable)
    {
        Path = path;
        this.writable = writable;
        // FileShare.Delete lets segments be unlinked while a reader still holds them (Windows);
        // the directory lock, not file sharing, keeps other processes out.
        handle = File.OpenHandle(
            path,
            mode,
            writable ? FileAccess.ReadWrite : FileAccess.Read,
            FileShare.ReadWrite | FileShare.Delete);
    }

    public string Path { get; }

    public long Length => RandomAccess.GetLength(handle);

    public int Read(Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    public void Write(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(handle, data, offset);

    public void SyncData() => DurableSync.SyncData(handle);

    public void SetLength(long length) => RandomAccess.SetLength(handle, length);

    public IMappedRegion Map(long capacity, bool writable)
    {
        if (writable && !this.writable)
        {
            throw new InvalidOperationException($"'{Path}' was opened read-only.");
        }

        if (writable && Length < capacity)
        {
            SetLength(capacity);
        }

        return new MappedRegion(handle, capacity, writable);
    }

    public void Dispose() => handle.Dispose();

    private sealed unsafe class MappedRegion : IMappedRegion
    {
        private readonly MemoryMappedFile file;
        private readonly MemoryMappedViewAccessor view;
        private readonly SafeFileHandle handle;
        private byte* pointer;

        public MappedRegion(SafeFileHandle handle, long capacity, bool writable)
        {
            this.handle = handle;
            Capacity = capacity;
            var access = writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read;
            file = MemoryMappedFile.CreateFromFile(handle, mapName: null, capacity, access, HandleInheritability.None, leaveOpen: true);
            view = file.CreateViewAccessor(0, capacity, access);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset;
        }

        public long Capacity { get; }

        public byte* Pointer => pointer;

        public void Sync()
        {
            view.Flush(); // msync of the dirty pages
            DurableSync.SyncData(handle);
        }

        public void Dispose()
        {
            if (pointer != null)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                pointer = null;
            }

            view.Dispose();
            file.Dispose();
        }
    }
}
