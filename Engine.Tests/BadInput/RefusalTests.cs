using Quasar.Tests.Support;

namespace Quasar.Tests.BadInput;

/// <summary>The sweep's check itself: a refusal that touched a file, or threw another exception, fails.</summary>
public sealed class RefusalTests : IDisposable
{
    private readonly SweepStore store = new();

    public void Dispose() => store.Dispose();

    [Fact]
    public void A_call_that_writes_before_it_throws_fails_the_check()
    {
        void WriteThenThrow()
        {
            store.Ledger.Write(LedgerProbe.EntriesOf(4));
            throw new ArgumentException("refused too late");
        }

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => store.Refuses<ArgumentException>(WriteThenThrow));
    }

    [Fact]
    public void A_call_that_only_buffers_a_change_before_it_throws_fails_the_check()
    {
        // Without SyncWrites the table's append may sit in memory; the settle after the call flushes it.
        void SetThenThrow()
        {
            store.Table.Set("other", 5);
            throw new ArgumentException("refused too late");
        }

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => store.Refuses<ArgumentException>(SetThenThrow));
    }

    [Fact]
    public void A_call_that_throws_a_derived_exception_fails_the_check()
    {
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => store.Refuses<ArgumentException>(() => throw new ArgumentNullException("x")));
    }
}
