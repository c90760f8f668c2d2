using Quasar.Storage.Files;

namespace Quasar.Tests.Support;

/// <summary>A file of a <see cref="FaultyFileSystem"/>: its writes, syncs, length changes and mappings go through the owner's rules.</summary>
internal sealed class FaultyFile(FaultyFileSystem owner, IStorageFile file, bool writable) : IStorageFile
{
    public string Path => file.Path;

    public long Length => file.Length;

    public int Read(Span<byte> buffer, long offset) => file.Read(buffer, offset);

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        FaultEffect? effect = owner.Decide(FileFault.Write, Path);
        if (effect == FaultEffect.Partial)
        {
            file.Write(data[..(data.Length / 2)], offset);
            throw new IOException($"injected partial write on {Path}");
        }

        if (effect is not null)
        {
            throw FaultyFileSystem.Injected(FileFault.Write, Path);
        }

        file.Write(data, offset);
    }

    public void SyncData()
    {
        owner.Check(FileFault.SyncData, Path);
        if (!writable && owner.RefuseReadOnlySync)
        {
            throw new UnauthorizedAccessException($"sync of {Path}, opened read-only (as Windows refuses FlushFileBuffers)");
        }

        file.SyncData();
    }

    public void SetLength(long length)
    {
        owner.Check(FileFault.SetLength, Path);
        file.SetLength(length);
    }

    public IMappedRegion Map(long capacity, bool writable)
    {
        owner.Check(FileFault.Map, Path);
        return new FaultyRegion(owner, Path, file.Map(capacity, writable));
    }

    public void Dispose() => file.Dispose();
}
