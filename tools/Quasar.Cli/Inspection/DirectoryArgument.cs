using System.CommandLine;

namespace Quasar.Cli.Inspection;

/// <summary>
/// The <c>DIR</c> argument of the operator commands. A directory that does not exist is a usage
/// error (exit 2) with a message saying so, never an empty report: a mistyped path must not look
/// like an empty database.
/// </summary>
internal static class DirectoryArgument
{
    /// <summary>A required <c>DIR</c> argument that must name an existing directory.</summary>
    /// <param name="description">The help text (default: read without the lock).</param>
    /// <returns>The argument.</returns>
    public static Argument<string> Create(string description = "The database directory (read without taking its lock: a live process may hold it open).")
    {
        var directory = new Argument<string>("DIR") { Description = description };
        directory.Validators.Add(result =>
        {
            string? path = result.GetValueOrDefault<string>();
            if (!string.IsNullOrEmpty(path) && !Directory.Exists(path))
            {
                result.AddError($"The database directory '{path}' does not exist.");
            }
        });
        return directory;
    }
}
