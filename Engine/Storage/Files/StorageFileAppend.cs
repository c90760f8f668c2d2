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
    public static void AppendOrRollBack(this IStorageFile file, ReadOnlySpan<byte> record, long offset, bool sync, ref bool broken)
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
                file.SetLength(offset);
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
