namespace Quasar.PropertyTests.Models;

/// <summary>The usual shrinks of a command list: shorter lists first, then one command at a time made simpler.</summary>
internal static class CommandShrinks
{
    /// <summary>
    /// The list without runs of commands (<see cref="CommandLists.WithoutRuns"/>), then the list
    /// with one command replaced by what <paramref name="simpler"/> makes of it (null: nothing simpler).
    /// </summary>
    public static IEnumerable<IReadOnlyList<TCommand>> Of<TCommand>(IReadOnlyList<TCommand> commands, Func<TCommand, TCommand?> simpler)
        where TCommand : class
    {
        foreach (IReadOnlyList<TCommand> shorter in CommandLists.WithoutRuns(commands))
        {
            yield return shorter;
        }

        for (int i = 0; i < commands.Count; i++)
        {
            if (simpler(commands[i]) is { } replacement)
            {
                var copy = commands.ToList();
                copy[i] = replacement;
                yield return copy;
            }
        }
    }
}
