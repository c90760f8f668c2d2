namespace Quasar.Bench.Macro;

/// <summary>Command-line options of the form <c>--name value</c>.</summary>
public static class Options
{
    public static string? Get(IReadOnlyList<string> args, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (int i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
