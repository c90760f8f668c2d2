namespace Quasar;

/// <summary>
/// A consumer's window: the entries above its position P (everything up to P is done) that it
/// delivered or restored from its stored positions, each marked or not, in sequence order. A
/// circular array: appending a newly delivered entry and dropping the marked prefix are O(1),
/// finding an entry is a binary search; only restored entries are inserted out of order. Not
/// thread-safe: the consumer guards it.
/// </summary>
internal sealed class MarkWindow
{
    private ulong[] sequences;
    private bool[] marked;
    private int head;

    public MarkWindow(ulong position, int capacity)
    {
        Position = position;
        sequences = new ulong[Math.Max(capacity, 4)];
        marked = new bool[sequences.Length];
    }

    /// <summary>P: the largest sequence up to which every delivered or restored entry is marked.</summary>
    public ulong Position { get; private set; }

    /// <summary>How many entries lie above <see cref="Position"/>.</summary>
    public int Count { get; private set; }

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
    /// it), then advances <see cref="Position"/> over the marked prefix. False when the sequence is
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

        while (Count > 0 && marked[head])
        {
            Position = sequences[head];
            head = Slot(1);
            Count--;
        }

        return true;
    }

    /// <summary>
    /// The mark table for <see cref="Sequence.Compile"/>: P (marked), the first entry above it
    /// (unmarked, or P would have moved past it) and every marked entry. The other unmarked
    /// entries cannot change what Compile returns - only the leading run is collapsed, and the
    /// first unmarked entry already ends it - so leaving them out keeps a persist cheap when
    /// marks arrive in order (then the table is just P and one entry).
    /// </summary>
    public Dictionary<ulong, bool> ToMarks()
    {
        var marks = new Dictionary<ulong, bool>() { [Position] = true };
        for (int i = 0; i < Count; i++)
        {
            if (i == 0 || marked[Slot(i)])
            {
                marks[SequenceAt(i)] = marked[Slot(i)];
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

    private ulong SequenceAt(int index) => sequences[Slot(index)];

    private int Slot(int index)
    {
        int slot = head + index;
        return slot >= sequences.Length ? slot - sequences.Length : slot;
    }

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
