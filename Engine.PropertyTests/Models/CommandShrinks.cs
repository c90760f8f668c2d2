namespace Quasar.PropertyTests.Models;

/// <summary>The usual shrinks of a command list: shorter lists first, then one command at a time made simpler.</summary>
internal static class CommandShrinks
{
    /// <summary>
    /// The list without runs of commands (<see cref="CommandLists.WithoutRuns"/>), then the list
    /// with one command replaced by what <paramref name="simpler"/> makes of it (null: nothing simpler).
    /// </summary>
    public static IEnumerable<IReadOnlyList<TCommand>> Of<TCommand>(IReadOnlyList<TCommand> commands, Func<TCommand, TCommand?> simpler)
        where TCommand : class =>
        Of(commands, command => simpler(command) is { } replacement ? [replacement] : []);

    /// <summary>
    /// The list without runs of commands (<see cref="CommandLists.WithoutRuns"/>), then, command by
    /// command, the list with that command replaced by each of its <paramref name="simpler"/> versions.
    /// </summary>
    public static IEnumerable<IReadOnlyList<TCommand>> Of<TCommand>(IReadOnlyList<TCommand> commands, Func<TCommand, IEnumerable<TCommand>> simpler)
    {
        foreach (IReadOnlyList<TCommand> shorter in CommandLists.WithoutRuns(commands))
        {
            yield return shorter;
        }

        for (int i = 0; i < commands.Count; i++)
        {
            foreach (TCommand replacement in simpler(commands[i]))
            {
                var copy = commands.ToList();
                copy[i] = replacement;
                yield return copy;
            }
        }
    }
}
