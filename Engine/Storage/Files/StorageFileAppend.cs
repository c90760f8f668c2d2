namespace Quasar.Storage.Files;

/// <summary>The append rule shared by segment and table files: a record either becomes part of the file or leaves no trace.</summary>
internal static class StorageFileAppend
{
    /// <summary>Refuses any further use of <paramref name="file"/> that could make a failed record durable (appends, a seal).</summary>
    /// <exception cref="IOException"><paramref name="broken"/> is set.</exception>
    public static void ThrowIfBroken(this IStorageFile file, bool broken)
    {
        if (broken)
        {
            throw new IOException($"An earlier write to '{file.Path}' failed and could not be undone; reopen the store to recover it.");
        }
    }

    /// <summary>
    /// Writes <paramref name="record"/> at <paramref name="offset"/> (the committed end) and, when
    /// <paramref name="sync"/>, makes it durable. If either fails, the file is cut back to
    /// <paramref name="offset"/> before the error propagates, so a write reported as failed cannot
    /// reappear after a restart. If even that fails, <paramref name="broken"/> is set and every
    /// later append is refused: the failed record may still be on disk, and only a reopen (whose
    /// recovery validates it) may decide about it.
    /// </summary>
    public static void AppendOrRollBack(this IStorageFile file, ReadOnlySpan<byte> record, long offset, bool sync, ref bool broken) =>
        WriteOrUndo(file, record, offset, sync, ref broken, previous: [], previousLength: offset);

    /// <summary>
    /// Overwrites a small <paramref name="record"/> (at most <see cref="MaxOverwrite"/> bytes) at
    /// <paramref name="offset"/> by the same rule: if the write or its sync fails, the bytes that
    /// were there and the file's length are restored before the error propagates, so the
    /// overwrite cannot take effect after a restart; if even that fails, <paramref name="broken"/>
    /// is set.
    /// </summary>
    public static void OverwriteOrRestore(this IStorageFile file, ReadOnlySpan<byte> record, long offset, bool sync, ref bool broken)
    {
        file.ThrowIfBroken(broken);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(record.Length, MaxOverwrite);
        long length = file.Length;
        Span<byte> previous = stackalloc byte[record.Length];
        int kept = offset < length ? file.Read(previous, offset) : 0;
        WriteOrUndo(file, record, offset, sync, ref broken, previous[..kept], length);
    }

    /// <summary>The largest record <see cref="OverwriteOrRestore"/> takes (its old bytes are kept on the stack).</summary>
    public const int MaxOverwrite = 256;

    /// <summary>Writes (and syncs) <paramref name="record"/>; on failure puts <paramref name="previous"/> back at <paramref name="offset"/> and the length back to <paramref name="previousLength"/>.</summary>
    private static void WriteOrUndo(IStorageFile file, ReadOnlySpan<byte> record, long offset, bool sync, ref bool broken, ReadOnlySpan<byte> previous, long previousLength)
    {
        file.ThrowIfBroken(broken);
        try
        {
            file.Write(record, offset);
            if (sync)
            {
                file.SyncData();
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            try
            {
                if (!previous.IsEmpty)
                {
                    file.Write(previous, offset);
                }

                file.SetLength(previousLength);
                if (sync)
                {
                    file.SyncData();
                }
            }
            catch (Exception rollBack) when (rollBack is IOException or UnauthorizedAccessException)
            {
                broken = true;
            }

            throw;
        }
    }
}
