namespace Quasar.Tests.Support.PowerLoss;

/// <summary>
/// The second half of a power loss: rewriting the real directories a <see cref="PowerLossFileSystem"/>
/// knows to what the disk holds afterwards. Every directory keeps its durable entries plus the
/// unsynced changes the chooser keeps; a directory whose own entry does not survive vanishes; every
/// surviving file is written anew (a new file, so old mappings and handles point at orphans) with
/// its durable pages plus the unsynced ones kept.
/// </summary>
internal static class DiskAfterPowerLoss
{
    /// <summary>Rewrites <paramref name="directories"/> (their files are among <paramref name="inodes"/>) as <paramref name="mode"/> decides.</summary>
    public static void Write(IEnumerable<DirectoryShadow> directories, IReadOnlyList<Inode> inodes, PowerLossMode mode)
    {
        DirectoryShadow[] known = [.. directories.OrderBy(d => d.Path, StringComparer.Ordinal)];
        var chooser = new SurvivorChooser(mode, inodes.SelectMany(i => i.Ranks()).Concat(known.SelectMany(d => d.ChangeRanks)));
        Dictionary<string, Dictionary<string, DirectoryEntry>> after = known.ToDictionary(
            d => d.Path,
            d => d.AfterPowerLoss(chooser.KeptChanges(d.ChangeRanks)),
            StringComparer.Ordinal);

        bool Survives(string directory)
        {
            string? parent = Path.GetDirectoryName(directory);
            return parent is null || !after.TryGetValue(parent, out Dictionary<string, DirectoryEntry>? entries)
                || (entries.GetValueOrDefault(Path.GetFileName(directory)) is SubdirectoryEntry && Survives(parent));
        }

        string[] surviving = [.. known.Select(d => d.Path).Where(Survives)];
        var contents = new Dictionary<Inode, byte[]>();
        foreach (Inode inode in surviving.SelectMany(d => after[d].Values.OfType<Inode>()).Distinct().OrderBy(i => i.Id))
        {
            contents[inode] = inode.AfterPowerLoss(chooser, mode.ZeroFilledTails);
        }

        foreach (DirectoryShadow directory in known)
        {
            if (!surviving.Contains(directory.Path))
            {
                if (Directory.Exists(directory.Path))
                {
                    Directory.Delete(directory.Path, recursive: true);
                }

                continue;
            }

            Rewrite(directory.Path, after[directory.Path], contents);
        }

    }

    /// <summary>Makes the real directory hold exactly <paramref name="entries"/>, every file written anew.</summary>
    private static void Rewrite(string path, Dictionary<string, DirectoryEntry> entries, Dictionary<Inode, byte[]> contents)
    {
        Directory.CreateDirectory(path);
        foreach (string file in Directory.GetFiles(path))
        {
            File.Delete(file);
        }

        foreach (string subdirectory in Directory.GetDirectories(path))
        {
            if (entries.GetValueOrDefault(Path.GetFileName(subdirectory)) is not SubdirectoryEntry)
            {
                Directory.Delete(subdirectory, recursive: true);
            }
        }

        foreach ((string name, DirectoryEntry entry) in entries)
        {
            if (entry is Inode inode)
            {
                File.WriteAllBytes(Path.Combine(path, name), contents[inode]);
            }
            else
            {
                Directory.CreateDirectory(Path.Combine(path, name));
            }
        }
    }
}
