using FsCheck;
using FsCheck.Fluent;

namespace Quasar.PropertyTests.Models;

/// <summary>Generating and shrinking the command lists the model tests run.</summary>
internal static class CommandLists
{
    /// <summary>
    /// <paramref name="count"/> commands, each drawn from the model state the ones before it
    /// reached, so that most commands are meaningful where they land.
    /// </summary>
    public static Gen<IReadOnlyList<TCommand>> From<TState, TCommand>(TState state, int count, Func<TState, Gen<TCommand>> commandFor, Func<TState, TCommand, TState> after) =>
        count == 0
            ? Gen.Constant<IReadOnlyList<TCommand>>([])
            : from command in commandFor(state)
              from rest in From(after(state, command), count - 1, commandFor, after)
              select (IReadOnlyList<TCommand>)[command, .. rest];

    /// <summary>The list without one run of consecutive commands: halves first, then ever shorter runs.</summary>
    public static IEnumerable<IReadOnlyList<TCommand>> WithoutRuns<TCommand>(IReadOnlyList<TCommand> commands)
    {
        for (int size = commands.Count / 2; size >= 1; size /= 2)
        {
            for (int start = 0; start + size <= commands.Count; start += size)
            {
                yield return [.. commands.Take(start), .. commands.Skip(start + size)];
            }
        }
    }
}
