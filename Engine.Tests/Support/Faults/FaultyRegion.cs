using Quasar.Storage.Files;

namespace Quasar.Tests.Support;

/// <summary>A mapped region of a <see cref="FaultyFile"/>: its sync goes through the owner's rules (stores through the pointer cannot be failed).</summary>
internal sealed unsafe class FaultyRegion(FaultyFileSystem owner, string path, IMappedRegion region) : IMappedRegion
{
    public long Capacity => region.Capacity;

    public byte* Pointer => region.Pointer;

    public void Sync()
    {
        owner.Check(FileFault.MappedSync, path);
        region.Sync();
    }

    public void Dispose() => region.Dispose();
}
