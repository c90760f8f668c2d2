using Quasar.CrashWriter;

namespace Quasar.Tests.Support;

/// <summary>A call the table crash writer announced and did not report done: Value null for a delete.</summary>
public sealed record TableCall(string Name, ulong[]? Value)
{
    /// <summary>The call, for failure messages.</summary>
    public string Describe() => Value is null ? $"delete '{Name}'" : $"set '{Name}' to {TableState.Describe(Value)}";
}

/// <summary>
/// The table crash writer's output (the lines of <see cref="CrashProtocol"/>'s table mode) replayed
/// on the state it started from: what was acknowledged, and the one call that may have been in
/// flight when the child died.
/// </summary>
public sealed class TableCrashReplay
{
    private TableCrashReplay(Dictionary<string, ulong[]> acknowledged)
    {
        Acknowledged = acknowledged;
    }

    /// <summary>The state after every acknowledged call.</summary>
    public Dictionary<string, ulong[]> Acknowledged { get; }

    /// <summary>The call announced but not acknowledged when the child died (null: none).</summary>
    public TableCall? Pending { get; private set; }

    /// <summary>How many sets were acknowledged.</summary>
    public int Sets { get; private set; }

    /// <summary>How many deletes were acknowledged.</summary>
    public int Deletes { get; private set; }

    /// <summary>The bytes the acknowledged calls appended (a delete of a missing name appends nothing).</summary>
    public long AcknowledgedBytes { get; private set; }

    /// <summary>The largest position the child announced, acknowledged or not.</summary>
    public ulong LargestPosition { get; private set; }

    /// <summary>Replays <paramref name="lines"/> (those after the ready line) on <paramref name="start"/>, which it does not change.</summary>
    public static TableCrashReplay Run(Dictionary<string, ulong[]> start, ReadOnlySpan<string> lines)
    {
        var replay = new TableCrashReplay(new Dictionary<string, ulong[]>(start, StringComparer.Ordinal));
        foreach (string line in lines)
        {
            replay.Apply(line);
        }

        return replay;
    }

    /// <summary>
    /// Checks <paramref name="actual"/> against the acknowledged state, allowing the call in flight
    /// to have been applied, and makes <paramref name="state"/> what the table holds. Returns
    /// whether the call in flight was applied.
    /// </summary>
    public bool Resolve(IReadOnlyDictionary<string, ulong[]> actual, Dictionary<string, ulong[]> state)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(state);
        Dictionary<string, ulong[]> acknowledged = Acknowledged;
        bool applied = false;
        if (Pending is { } pending)
        {
            ulong[]? before = acknowledged.GetValueOrDefault(pending.Name);
            ulong[]? found = actual.GetValueOrDefault(pending.Name);
            if (!TableState.SameValue(found, before))
            {
                Assert.True(
                    TableState.SameValue(found, pending.Value),
                    $"'{pending.Name}' holds {TableState.Show(found)}: neither its last acknowledged value {TableState.Show(before)} nor the value in flight {TableState.Show(pending.Value)}");
                applied = true;
                acknowledged = new Dictionary<string, ulong[]>(acknowledged, StringComparer.Ordinal);
                if (pending.Value is null)
                {
                    acknowledged.Remove(pending.Name);
                }
                else
                {
                    acknowledged[pending.Name] = pending.Value;
                }
            }
        }

        TableState.AssertSame(acknowledged, actual);
        state.Clear();
        foreach ((string name, ulong[] value) in acknowledged)
        {
            state[name] = value;
        }

        return applied;
    }

    private void Apply(string line)
    {
        string[] fields = line.Split(' ');
        switch (fields)
        {
            case [CrashProtocol.TrySet, string name, string values]:
                Assert.True(Pending is null, $"'{line}' while {Pending?.Describe()} was not done");
                Pending = new TableCall(name, CrashProtocol.ParseValues(values));
                LargestPosition = Math.Max(LargestPosition, Pending.Value![^1]);
                break;
            case [CrashProtocol.TryDelete, string name]:
                Assert.True(Pending is null, $"'{line}' while {Pending?.Describe()} was not done");
                Pending = new TableCall(name, null);
                break;
            case [CrashProtocol.SetDone, string name, string values]:
                Assert.True(Pending is { Value: not null } && Pending.Name == name && TableState.SameValue(Pending.Value, CrashProtocol.ParseValues(values)), $"'{line}' does not match the call announced: {Pending?.Describe()}");
                Acknowledged[name] = Pending!.Value!;
                AcknowledgedBytes += TableFile.SetRecordLength(name, Pending.Value!.Length);
                Sets++;
                Pending = null;
                break;
            case [CrashProtocol.DeleteDone, string name]:
                Assert.True(Pending is { Value: null } && Pending.Name == name, $"'{line}' does not match the call announced: {Pending?.Describe()}");
                if (Acknowledged.Remove(name))
                {
                    AcknowledgedBytes += TableFile.DeleteRecordLength(name);
                }

                Deletes++;
                Pending = null;
                break;
            default:
                Assert.Fail($"unexpected line from the child: '{line}'");
                break;
        }
    }
}
