namespace Quasar.Tests.Support;

/// <summary>The file-system calls a <see cref="FaultyFileSystem"/> records and can fail.</summary>
public enum FileFault
{
    Open,
    Write,

    /// <summary>Not a call of its own: a <see cref="Write"/> that writes the first half of its bytes, then fails.</summary>
    PartialWrite,
    SyncData,
    SetLength,

    /// <summary>The fsync of a directory (after a create, rename or unlink in it).</summary>
    SyncDirectory,

    /// <summary>The unlink of a file.</summary>
    Delete,

    /// <summary>The rename of a file over another (the call is recorded under its source path).</summary>
    Rename,
    CreateDirectory,
    ListFiles,

    /// <summary>The memory mapping of a file (which extends a writable file to the mapped size).</summary>
    Map,

    /// <summary>The msync and fdatasync of a mapped region.</summary>
    MappedSync,
}
