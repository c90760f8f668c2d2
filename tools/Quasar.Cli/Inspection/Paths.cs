namespace Quasar.Cli.Inspection;

/// <summary>File paths as the operator commands print them.</summary>
internal static class Paths
{
    /// <summary><paramref name="path"/> relative to <paramref name="root"/>, '/'-separated: the same output wherever the directory lies.</summary>
    /// <param name="root">The database directory.</param>
    /// <param name="path">A path inside it.</param>
    /// <returns>The relative path.</returns>
    public static string Relative(string root, string path) =>
        Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
