namespace Quasar;

/// <summary>
/// A consumer's window: the entries above its position P (everything up to P is done) that it
/// delivered or restored from its stored positions, each marked or not, in sequence order, and how
/// far the reader has read (<see cref="Reached"/>). A circular array: appending a newly delivered
/// entry and dropping the done prefix are O(1), finding an entry is a binary search; only restored
/// entries are inserted out of order. Not thread-safe: the consumer guards it.
/// </summary>
/// <remarks>
/// A restored position is marked from the start, but the ledger may hold entries between P and it
/// that the reader has not read yet: they are in no window and not done. So P moves over a marked
/// entry only when nothing unread lies below it: the entry directly follows P or
/// <see cref="Reached"/> (sequences are integers, so nothing lies between). Above that, a restored
/// position counts as done only once the reader has read up to it.
/// </remarks>
internal sealed class MarkWindow
{
    /// <summary>The entries' sequences, ascending from <see cref="head"/>, wrapping around.</summary>
    private ulong[] sequences;

    /// <summary>Whether the entry in the same slot of <see cref="sequences"/> is marked.</summary>
    private bool[] marked;

    /// <summary>The slot of the first entry above P.</summary>
    private int head;

    /// <summary>Creates an empty window at <paramref name="position"/>, the reader about to read the entry after it.</summary>
    /// <param name="position">P: everything up to it is done.</param>
    /// <param name="capacity">How many entries it holds before it grows.</param>
    public MarkWindow(ulong position, int capacity)
    {
        Position = position;
        Reached = position;
        sequences = new ulong[Math.Max(InitialCapacity.For(capacity), 4)];
        marked = new bool[sequences.Length];
    }

    /// <summary>P: every entry up to it is done (marked, restored and reached, or skipped as deleted).</summary>
    public ulong Position { get; private set; }

    /// <summary>How many entries lie above <see cref="Position"/>.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// The last sequence the reader has read up to: every ledger entry at or below it is in the
    /// window or done. Above it (and above P), entries the window does not hold are unknown.
    /// </summary>
    public ulong Reached { get; private set; }

    /// <summary>Adds an entry above <see cref="Position"/> (delivered: unmarked; restored: marked).</summary>
    public void Add(ulong sequence, bool isMarked)
    {
        if (Count == sequences.Length)
        {
            Grow();
        }

        int index = Count;
        while (index > 0 && SequenceAt(index - 1) > sequence)
        {
            index--; // only restored entries land before the end
        }

        for (int i = Count; i > index; i--)
        {
            sequences[Slot(i)] = sequences[Slot(i - 1)];
            marked[Slot(i)] = marked[Slot(i - 1)];
        }

        sequences[Slot(index)] = sequence;
        marked[Slot(index)] = isMarked;
        Count++;
    }

    /// <summary>Whether <paramref name="sequence"/> lies in the window.</summary>
    public bool Contains(ulong sequence) => Find(sequence) >= 0;

    /// <summary>
    /// Marks <paramref name="sequence"/> (and, when <paramref name="cumulative"/>, every entry below
    /// it), then advances <see cref="Position"/> over the done prefix. False when the sequence is
    /// not in the window.
    /// </summary>
    public bool Mark(ulong sequence, bool cumulative)
    {
        int index = Find(sequence);
        if (index < 0)
        {
            return false;
        }

        for (int i = cumulative ? 0 : index; i <= index; i++)
        {
            marked[Slot(i)] = true;
        }

        Advance();
        return true;
    }

    /// <summary>
    /// The reader has read every ledger entry up to <paramref name="sequence"/>: moves
    /// <see cref="Reached"/> up to it and <see cref="Position"/> over the restored positions that
    /// now count as done.
    /// </summary>
    public void Reach(ulong sequence)
    {
        Reached = Math.Max(Reached, sequence);
        Advance();
    }

    /// <summary>
    /// The mark table for <see cref="Sequence.Compile"/>: P and every marked entry (marked), and
    /// the first sequence above P that is not done (unmarked): an unmarked entry, or a sequence the
    /// reader has not read below a restored position. Without that key the leading marked run -
    /// the only one Compile collapses - would run on over the unread entries into the restored
    /// positions. With it, the run ends where P would stop, so the other unmarked entries cannot
    /// change what Compile returns; leaving them out keeps a persist cheap when marks arrive in
    /// order (then the table is just P and one entry).
    /// </summary>
    public Dictionary<ulong, bool> ToMarks()
    {
        var marks = new Dictionary<ulong, bool>() { [Position] = true };
        ulong position = Position;
        int i = 0;
        for (; i < Count && IsDone(i, position); i++)
        {
            position = SequenceAt(i); // a done prefix P has not moved over: only left by SkipTo
            marks[position] = true;
        }

        if (i < Count)
        {
            ulong read = Math.Max(position, Reached);
            marks[SequenceAt(i) - 1 > read ? read + 1 : SequenceAt(i)] = false;
        }

        for (; i < Count; i++)
        {
            if (marked[Slot(i)])
            {
                marks[SequenceAt(i)] = true;
            }
        }

        return marks;
    }

    /// <summary>Moves <see cref="Position"/> forward to <paramref name="position"/>, dropping entries at or below it.</summary>
    public void SkipTo(ulong position)
    {
        while (Count > 0 && sequences[head] <= position)
        {
            head = Slot(1);
            Count--;
        }

        Position = Math.Max(Position, position);
    }

    /// <summary>
    /// Whether the entry at <paramref name="index"/> is done once P has reached
    /// <paramref name="position"/>: it is marked, and no unread entry can lie between them.
    /// </summary>
    private bool IsDone(int index, ulong position) =>
        marked[Slot(index)] && SequenceAt(index) - 1 <= Math.Max(position, Reached);

    /// <summary>Moves <see cref="Position"/> over the done prefix.</summary>
    private void Advance()
    {
        while (Count > 0 && IsDone(0, Position))
        {
            Position = sequences[head];
            head = Slot(1);
            Count--;
        }
    }

    /// <summary>The index (0 = first above P) of <paramref name="sequence"/>, or -1 when the window does not hold it.</summary>
    private int Find(ulong sequence)
    {
        int low = 0;
        int high = Count - 1;
        while (low <= high)
        {
            int mid = (low + high) >> 1;
            ulong value = SequenceAt(mid);
            if (value == sequence)
            {
                return mid;
            }

            if (value < sequence)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>The sequence of the entry at <paramref name="index"/> (0 = first above P).</summary>
    private ulong SequenceAt(int index) => sequences[Slot(index)];

    /// <summary>The array slot of the entry at <paramref name="index"/> (0 = first above P).</summary>
    private int Slot(int index)
    {
        int slot = head + index;
        return slot >= sequences.Length ? slot - sequences.Length : slot;
    }

    /// <summary>Doubles the arrays, the entries unwrapped to start at slot 0.</summary>
    private void Grow()
    {
        var newSequences = new ulong[sequences.Length * 2];
        var newMarked = new bool[newSequences.Length];
        for (int i = 0; i < Count; i++)
        {
            newSequences[i] = sequences[Slot(i)];
            newMarked[i] = marked[Slot(i)];
        }

        sequences = newSequences;
        marked = newMarked;
        head = 0;
    }
}
