namespace Quasar.PropertyTests.Models;

/// <summary>What a modelled mark comes to: its outcome, and whether it writes the consumer's positions.</summary>
internal readonly record struct ModelledMark(Outcome Outcome, bool Writes);

/// <summary>
/// The reference model of one named consumer with <c>Skip = 0</c> (every mark that changes
/// anything is persisted before its task completes), from API.md: its window (P and the entries
/// above it, see <see cref="MarkWindowModel"/>), the positions durably stored under its name, where
/// its reader is, which entries it has delivered that the test has not read yet, and which the test
/// has read.
/// </summary>
/// <remarks>
/// The reader delivers greedily, in sequence order, while the window has room (<see cref="Settle"/>);
/// the order in which it reads and marks arrive does not change where it comes to rest, so the
/// model only computes that fixed point. Sequences are consecutive (the property produces no gaps),
/// so P never waits on how far the reader has read.
/// </remarks>
internal sealed class QueueConsumerModel
{
    private readonly Queue<ulong> pending;
    private readonly List<ulong> handed;

    private QueueConsumerModel(string name, int capacity, MarkWindowModel window, ulong[] stored, ulong persistedFirst, ulong next, Queue<ulong> pending, List<ulong> handed)
    {
        Name = name;
        Capacity = capacity;
        Window = window;
        Stored = stored;
        PersistedFirst = persistedFirst;
        Next = next;
        this.pending = pending;
        this.handed = handed;
    }

    public string Name { get; }

    /// <summary>The consumer's Window option.</summary>
    public int Capacity { get; }

    public MarkWindowModel Window { get; private set; }

    /// <summary>The positions durably stored under the name (what a cleaner and a restart see).</summary>
    public ulong[] Stored { get; private set; }

    /// <summary>The first position the consumer last wrote (or restored): marks at or below it succeed at once.</summary>
    public ulong PersistedFirst { get; private set; }

    /// <summary>The next sequence the reader reads.</summary>
    public ulong Next { get; private set; }

    /// <summary>Delivered to the channel, not read by the test yet, in order.</summary>
    public IReadOnlyCollection<ulong> Pending => pending;

    /// <summary>Read by the test since the consumer was created, in order.</summary>
    public IReadOnlyList<ulong> Handed => handed;

    /// <summary>A consumer created with Start 0 on an empty table: it stores 0 at once.</summary>
    public static QueueConsumerModel Created(string name, int capacity) => Restored(name, capacity, [0]);

    /// <summary>
    /// A consumer created over <paramref name="stored"/>: it resumes after the first position and
    /// skips those stored beyond it (folding the ones that directly follow it into P; keeping at
    /// most Window - 1 of the rest, which are otherwise delivered again).
    /// </summary>
    public static QueueConsumerModel Restored(string name, int capacity, ulong[] stored)
    {
        ulong first = stored[0];
        ulong[] beyond = [.. stored.Skip(1).Where(p => p > stored[0]).Distinct().Order()];
        int folded = 0;
        while (folded < beyond.Length && beyond[folded] == first + 1)
        {
            first = beyond[folded++];
        }

        var window = new MarkWindowModel(first);
        foreach (ulong position in beyond.Skip(folded).Take(capacity - 1))
        {
            window.Add(position, isMarked: true);
        }

        return new QueueConsumerModel(name, capacity, window, stored, first, first + 1, new Queue<ulong>(), []);
    }

    public QueueConsumerModel Clone() => new(Name, Capacity, Window.Clone(), Stored, PersistedFirst, Next, new Queue<ulong>(pending), [.. handed]);

    /// <summary>Where the reader comes to rest: it delivers the live entries from <see cref="Next"/> on while the window has room.</summary>
    public void Settle(SortedSet<ulong> live)
    {
        while (Capacity - Window.Count > 0)
        {
            SortedSet<ulong> ahead = live.GetViewBetween(Next, ulong.MaxValue);
            if (ahead.Count == 0)
            {
                return;
            }

            ulong sequence = ahead.Min;
            Next = sequence + 1;
            if (Window.CanAdd(sequence))
            {
                Window.Add(sequence, isMarked: false);
                pending.Enqueue(sequence);
            }

            Window.Reach(sequence);
        }
    }

    /// <summary>The test reads the next delivered entry.</summary>
    public ulong Take()
    {
        ulong sequence = pending.Dequeue();
        handed.Add(sequence);
        return sequence;
    }

    /// <summary>
    /// A mark: at or below the persisted first position it succeeds at once; at or below P it is
    /// covered (persisted with the window); in the window it is applied and persisted; else it was
    /// not delivered. Persisting stores the compiled window.
    /// </summary>
    public ModelledMark Mark(ulong sequence, bool cumulative)
    {
        if (sequence <= PersistedFirst)
        {
            return new ModelledMark(Outcome.Returned("ok"), Writes: false);
        }

        if (sequence > Window.Position && !Window.Mark(sequence, cumulative))
        {
            return new ModelledMark(Outcome.Throws<InvalidSequenceException>(), Writes: false);
        }

        Stored = Sequence.Compile(Window.DocumentedMarks());
        PersistedFirst = Stored[0];
        return new ModelledMark(Outcome.Returned("ok"), Writes: true);
    }

    public override string ToString() =>
        $"{Name}: P={Window.Position}, window {{{string.Join(",", Window.Sequences)}}}, stored {MarkWindowModel.Render(Stored)}, " +
        $"next {Next}, pending [{string.Join(",", pending)}]";
}
