using System.Diagnostics;
using Quasar.Tests.Support;
using Xunit.Sdk;

namespace Quasar.Tests.Nats;

/// <summary>What the bridge tests share: entries to mirror and the comparison of a stream with its ledger.</summary>
internal static class MirrorFixture
{
    /// <summary>Entries the big cases move (the 100,000; QUASAR_NATS_ENTRIES for more or fewer).</summary>
    public static int Entries => TestEnvironment.Int("QUASAR_NATS_ENTRIES") ?? 100_000;

    /// <summary>Writes <paramref name="count"/> entries with fresh sequences and payloads naming them; returns them.</summary>
    public static Entry[] Write(Ledger ledger, int count)
    {
        ulong first = Sequence.Generate((uint)count);
        Entry[] entries = TestEntries.Range(first, count, extra: 40);
        for (int start = 0; start < entries.Length; start += 1000)
        {
            ledger.Write(entries.AsSpan(start, Math.Min(1000, entries.Length - start)));
        }

        return entries;
    }

    /// <summary>The stream holds exactly the entries, once each, in ledger order, with their sequences in the headers.</summary>
    public static void AssertMirrors(Entry[] entries, List<StreamMessage> messages)
    {
        Assert.Equal(entries.Length, messages.Count);
        for (int i = 0; i < entries.Length; i++)
        {
            Assert.True(
                entries[i].Sequence == messages[i].EntrySequence && entries[i].Payload.Span.SequenceEqual(messages[i].Payload),
                $"stream message {i + 1} carries entry {messages[i].EntrySequence}; entry {entries[i].Sequence} belongs there");
        }
    }

    /// <summary>Waits (polling, at most two minutes) until <paramref name="condition"/> holds; fails with <paramref name="state"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, Func<string> state)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new XunitException($"not reached within two minutes: {state()}");
            }

            await Task.Delay(20);
        }
    }
}
