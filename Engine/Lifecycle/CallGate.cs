namespace Quasar.Lifecycle;

/// <summary>
/// Counts the calls in flight on a store so that disposal can wait for them: after
/// <see cref="Close"/> starts, <see cref="Enter"/> throws <see cref="ObjectDisposedException"/>,
/// and <see cref="Close"/> returns only once every entered call has exited. This is what keeps a
/// call racing a dispose from touching unmapped memory.
/// </summary>
internal sealed class CallGate(string objectName)
{
    private const int ClosedBit = 1 << 30;
    private int state;

    /// <summary>The name used in <see cref="ObjectDisposedException"/>.</summary>
    public string ObjectName => objectName;

    /// <summary>Whether <see cref="Close"/> has started.</summary>
    public bool IsClosed => (Volatile.Read(ref state) & ClosedBit) != 0;

    /// <summary>Registers a call; throws when the gate is closed. Dispose the returned scope to end the call.</summary>
    public Scope Enter()
    {
        if ((Interlocked.Increment(ref state) & ClosedBit) != 0)
        {
            Exit();
            throw new ObjectDisposedException(objectName);
        }

        return new Scope(this);
    }

    /// <summary>One call in flight; disposing it exits the gate (a struct: no allocation per call).</summary>
    public readonly struct Scope(CallGate gate) : IDisposable
    {
        /// <summary>Ends the call.</summary>
        public void Dispose() => gate.Exit();
    }

    /// <summary>Ends a call registered by <see cref="Enter"/>.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref state) == ClosedBit)
        {
            lock (this)
            {
                Monitor.PulseAll(this);
            }
        }
    }

    /// <summary>Closes the gate and waits for the calls in flight; false when it was already closed.</summary>
    public bool Close()
    {
        int current;
        do
        {
            current = Volatile.Read(ref state);
            if ((current & ClosedBit) != 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref state, current | ClosedBit, current) != current);

        lock (this)
        {
            while (Volatile.Read(ref state) != ClosedBit)
            {
                Monitor.Wait(this, 10);
            }
        }

        return true;
    }
}
