namespace Quasar.Tests.Support;

/// <summary>What the table file looked like right after a kill, before anything opened it.</summary>
public sealed record TableFileAfterKill(long LengthBefore, ulong GenerationBefore, long Length, ulong Generation, bool TemporaryLeft, long TemporaryLength)
{
    /// <summary>Reads the file and its <c>.tmp</c> companion; <paramref name="lengthBefore"/> and <paramref name="generationBefore"/> are from before the run.</summary>
    public static TableFileAfterKill Inspect(string file, long lengthBefore, ulong generationBefore)
    {
        string temporary = file + ".tmp";
        bool left = File.Exists(temporary);
        return new TableFileAfterKill(lengthBefore, generationBefore, new FileInfo(file).Length, TableFile.Generation(file), left, left ? new FileInfo(temporary).Length : -1);
    }
}
