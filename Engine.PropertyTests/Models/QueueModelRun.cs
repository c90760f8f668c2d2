using System.Globalization;
using System.Threading.Channels;
using Quasar.Tests.Support;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// Runs one <see cref="QueueScenario"/> against a real queue and the <see cref="QueueModel"/>,
/// checking after every step the ledger's content, Head and Tail, the positions stored in the
/// table, and every delivered entry; after every reopen, that the store opened and the consistency
/// checker finds no error. A power loss is followed by the checks of what may have survived
/// (<see cref="QueueInFlight"/>), after which the model takes on what did.
/// </summary>
internal sealed class QueueModelRun : IDisposable
{
    /// <summary>The longest wait for one delivery or one call; a hang fails the run instead of stalling it. Not a timing assertion.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private readonly TempDirectory temp = new();
    private readonly string directory;
    private readonly QueueModel model;
    private readonly QueueHost host;

    private QueueModelRun(QueueScenario scenario)
    {
        // A directory the Db creates through the power-loss file system: known to it from the
        // start, so the directory lock made beside it stays unknown to it (never read, never kept).
        directory = Path.Combine(temp.Path, "db");
        model = new QueueModel(scenario);
        host = new QueueHost(directory, scenario);
    }

    /// <summary>What this run did, appended to the file QUASAR_QUEUE_MODEL_STATS names (if set), for a soak's figures.</summary>
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);

    public static void Run(QueueScenario scenario)
    {
        using var run = new QueueModelRun(scenario);
        run.Execute(scenario);
    }

    public void Dispose()
    {
        host.Dispose();
        temp.Dispose();
    }

    private void Execute(QueueScenario scenario)
    {
        host.OpenQueue();
        host.StartClients();
        Check("after the first open");
        for (int step = 0; step < scenario.Commands.Count; step++)
        {
            QueueCommand command = scenario.Commands[step];
            string where = $"step {step} ({command})";
            if (command is QueueCommand.PowerLoss loss)
            {
                PowerLoss(loss, where);
            }
            else
            {
                Do(command, where, interruptible: false);
            }

            Check($"after {where}");
            Count("steps");
        }

        host.Close();
        StoreCheck.AssertNoErrors(directory, "at the end of the run");
        if (Environment.GetEnvironmentVariable("QUASAR_QUEUE_MODEL_STATS") is { Length: > 0 } statistics)
        {
            File.AppendAllText(statistics, string.Join(" ", counts.Select(c => $"{c.Key}={c.Value}")) + Environment.NewLine);
        }
    }

    /// <summary>Runs one command; <paramref name="interruptible"/>: a power loss may cut it short (its failure is expected then).</summary>
    private QueueInFlight Do(QueueCommand command, string where, bool interruptible)
    {
        switch (command)
        {
            case QueueCommand.Produce produce:
                return Produce(produce.Count, where, interruptible);
            case QueueCommand.Consume consume:
                Consume(consume.Name, consume.Count, where);
                return QueueInFlight.None;
            case QueueCommand.Mark mark:
                return Mark(mark, where, interruptible);
            case QueueCommand.Clean:
                return Clean(where, interruptible);
            case QueueCommand.Reopen:
                Reopen(where, interruptible);
                return QueueInFlight.None;
            default:
                throw new InvalidOperationException($"unknown command {command}");
        }
    }

    private void Count(string what) => counts[what] = counts.GetValueOrDefault(what) + 1;

    private bool CutShort(bool interruptible) => interruptible && host.Files.IsOff;

    /// <summary>Writes the next sequences through the producer; the acknowledged ones are in the model, the rest in flight.</summary>
    private QueueInFlight.Produce Produce(int count, string where, bool interruptible)
    {
        ulong[] sequences = model.NextSequences(count);
        // The blocking Write queues in call order; WriteAsync calls waiting for room together may
        // enter the queue in any order (each is woken, and they race).
        Task[] writes = [.. sequences.Select(s => Write(new Entry(s, QueueModel.PayloadOf(s))))];
        Settle(Task.WhenAll(writes), where, "the producer's acks");
        int acknowledged = writes.TakeWhile(w => w.IsCompletedSuccessfully).Count();
        if (!CutShort(interruptible) && acknowledged < count)
        {
            Assert.Fail($"{where}: entry {sequences[acknowledged]} failed: {writes[acknowledged].Exception}");
        }

        Assert.True(writes.Skip(acknowledged).All(w => !w.IsCompletedSuccessfully), $"{where}: an entry was acknowledged after one before it failed");
        model.Written(sequences.Take(acknowledged));
        return new QueueInFlight.Produce(sequences[acknowledged..]);
    }

    /// <summary>Queues the entry with <see cref="Producer.Write"/>; the task completes with its ack.</summary>
    private Task Write(Entry entry)
    {
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!host.Producer.Write(entry, error => _ = error is null ? acked.TrySetResult() : acked.TrySetException(error)))
        {
            acked.TrySetException(new ProducerClosedException());
        }

        return acked.Task;
    }

    /// <summary>Reads what the model says the consumer delivers (up to the count), each exactly the entry expected; then nothing more may be waiting.</summary>
    private void Consume(string name, int count, string where)
    {
        QueueConsumerModel expected = model[name];
        ChannelReader<Entry> entries = host.Consumers[name].Entries;
        int available = Math.Min(count, expected.Pending.Count);
        for (int i = 0; i < available; i++)
        {
            ulong durable = expected.Stored[0];
            ulong sequence = expected.Take();
            Entry entry = Settle(entries.ReadAsync().AsTask(), where, $"consumer {name} to deliver entry {sequence} ({expected})");
            Assert.True(entry.Sequence > durable, $"{where}: consumer {name} delivered {entry.Sequence}, at or below its durable position {durable}");
            Assert.True(entry.Sequence == sequence, $"{where}: consumer {name} delivered {entry.Sequence}, model {sequence} ({expected})");
            Assert.True(entry.Payload.Span.SequenceEqual(QueueModel.PayloadOf(sequence)), $"{where}: consumer {name} delivered entry {sequence} with a payload that was never produced");
            Count("deliveries");
        }

        if (available < count && entries.TryRead(out Entry extra))
        {
            Assert.Fail($"{where}: consumer {name} delivered {extra.Sequence}, beyond what its window and the ledger allow ({expected})");
        }
    }

    /// <summary>Awaits the mark; one of a sequence delivered but not read yet is skipped (whether the reader got there first is a race).</summary>
    private QueueInFlight Mark(QueueCommand.Mark mark, string where, bool interruptible)
    {
        QueueConsumerModel consumer = model[mark.Name];
        if (consumer.Pending.Contains(mark.Sequence))
        {
            return QueueInFlight.None;
        }

        ulong[] before = consumer.Stored;
        ModelledMark expected = model.Mark(mark.Name, mark.Sequence, mark.Cumulative);
        Outcome actual = Outcome.Of(() =>
        {
            host.Consumers[mark.Name].MarkAsync(mark.Sequence, mark.Cumulative).WaitAsync(Limit).GetAwaiter().GetResult();
            return "ok";
        });
        if (!CutShort(interruptible))
        {
            expected.Outcome.AssertMatches(actual, where);
            Count(expected.Writes ? "marks stored" : "marks answered at once");
        }

        return new QueueInFlight.Mark(mark.Name, before);
    }

    /// <summary>One cleaner pass: deletes exactly what the model's retention and stored positions allow.</summary>
    private QueueInFlight Clean(string where, bool interruptible)
    {
        (long deleted, ulong target) = model.PlanClean();
        Outcome actual = Outcome.Of(() => host.Cleaner.Clean().ToString(CultureInfo.InvariantCulture));
        if (CutShort(interruptible))
        {
            return new QueueInFlight.Clean(target);
        }

        Outcome.Returned(deleted.ToString(CultureInfo.InvariantCulture)).AssertMatches(actual, where);
        counts["entries cleaned"] = counts.GetValueOrDefault("entries cleaned") + deleted;
        model.DeletedTo(target);
        return QueueInFlight.None;
    }

    /// <summary>Closes cleanly, checks the files, opens again: nothing may change.</summary>
    private void Reopen(string where, bool interruptible)
    {
        try
        {
            host.Close();
            StoreCheck.AssertNoErrors(directory, $"closed for a reopen at {where}");
            host.OpenQueue();
            CheckTable($"{where}, reopened");
            host.StartClients();
        }
#pragma warning disable CA1031 // cut short by the power loss: whatever it threw, the power-loss checks follow
        catch (Exception) when (CutShort(interruptible))
#pragma warning restore CA1031
        {
            return;
        }

        model.Reopened(model.StoredPositions());
    }

    /// <summary>
    /// Loses power (between steps, or inside a call via <c>CutAt</c>), abandons the Db, turns the
    /// power on and opens the queue: it must open, the checker must find no error, and what it holds
    /// must be the model's state plus at most what was in flight.
    /// </summary>
    private void PowerLoss(QueueCommand.PowerLoss loss, string where)
    {
        QueueInFlight inFlight = QueueInFlight.None;
        if (loss.During is { } during)
        {
            if (PowerLossSteps.CutDuring(host.Files, loss.AtChange, loss.Mode, () => inFlight = Do(during, where, interruptible: true)))
            {
                Count($"power losses inside {during.GetType().Name}");
            }
            else
            {
                inFlight = QueueInFlight.None; // it made fewer changes than the cut waited for: it happened
                Count("power losses");
            }
        }
        else
        {
            host.Files.PowerLoss(loss.Mode);
            Count("power losses");
        }

        host.Abandon();
        try
        {
            host.OpenQueue();
        }
#pragma warning disable CA1031 // any failure to open is the finding
        catch (Exception error)
#pragma warning restore CA1031
        {
            Assert.Fail($"{where}: the queue does not open after the power loss: {error}");
        }

        StoreCheck.AssertNoErrors(directory, $"recovered after the power loss at {where}");
        TakeSurvivors(inFlight, where);
        host.StartClients();
    }

    /// <summary>Checks the recovered ledger and table against the model plus what was in flight, then sets the model to them.</summary>
    private void TakeSurvivors(QueueInFlight inFlight, string where)
    {
        Ledger ledger = host.Queue.Ledger;
        ulong tail = ledger.Tail;
        ulong[] found = [.. ledger.Read(0, int.MaxValue).Select(e => CheckedSequence(e, where))];
        ulong highestTail = inFlight is QueueInFlight.Clean clean ? clean.Target : model.Tail;
        Assert.True(tail >= model.Tail && tail <= highestTail, $"{where}: Tail {tail} after the power loss, expected {model.Tail}..{highestTail} ({model})");

        ulong[] kept = [.. model.Live.Where(s => s > tail)];
        IReadOnlyList<ulong> unacknowledged = inFlight is QueueInFlight.Produce produce ? produce.Unacknowledged : [];
        int survivors = found.Length - kept.Length;
        bool expectedContent = survivors >= 0 && survivors <= unacknowledged.Count && found.SequenceEqual([.. kept, .. unacknowledged.Take(survivors)]);
        Assert.True(expectedContent, $"{where}: the ledger holds [{string.Join(",", found)}] after the power loss, expected [{string.Join(",", kept)}] plus a prefix of the unacknowledged [{string.Join(",", unacknowledged)}]");
        ulong head = survivors > 0 ? unacknowledged[survivors - 1] : model.Head;
        Assert.True(ledger.Head == head, $"{where}: Head {ledger.Head} after the power loss, expected {head}");

        IReadOnlyDictionary<string, ulong[]> stored = host.Queue.Table.All();
        foreach (QueueConsumerModel consumer in model.Consumers)
        {
            ulong[] positions = stored.GetValueOrDefault(consumer.Name) ?? [];
            bool allowed = positions.SequenceEqual(consumer.Stored)
                || (inFlight is QueueInFlight.Mark mark && mark.Name == consumer.Name && positions.SequenceEqual(mark.Before));
            Assert.True(allowed, $"{where}: consumer {consumer.Name} has {MarkWindowModel.Render(positions)} stored after the power loss, expected {MarkWindowModel.Render(consumer.Stored)}{(inFlight is QueueInFlight.Mark m && m.Name == consumer.Name ? $" or {MarkWindowModel.Render(m.Before)}" : string.Empty)}");
        }

        Assert.True(stored.Count == model.Consumers.Count(), $"{where}: the table holds [{string.Join(",", stored.Keys)}] after the power loss");
        model.Reopened(stored, (head, tail, found));
    }

    /// <summary>The ledger's Length, Head, Tail and content, and the table, agree with the model.</summary>
    private void Check(string where)
    {
        Ledger ledger = host.Queue.Ledger;
        string expected = $"Length={model.Live.Count}, Head={model.Head}, Tail={model.Tail}";
        string actual = $"Length={ledger.Length}, Head={ledger.Head}, Tail={ledger.Tail}";
        Assert.True(actual == expected, $"{where}: {actual}, model {expected}");
        ulong[] content = [.. ledger.Read(0, int.MaxValue).Select(e => CheckedSequence(e, where))];
        Assert.True(content.SequenceEqual(model.Live), $"{where}: the ledger holds [{string.Join(",", content)}], model [{string.Join(",", model.Live)}]");
        CheckTable(where);
    }

    private void CheckTable(string where)
    {
        string expected = Render(model.StoredPositions());
        string actual = Render(host.Queue.Table.All());
        Assert.True(actual == expected, $"{where}: the table holds {actual}, model {expected} ({model})");
    }

    private static string Render(IReadOnlyDictionary<string, ulong[]> table) =>
        string.Join("; ", table.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={MarkWindowModel.Render(t.Value)}"));

    /// <summary>An entry's sequence, after checking its payload is the one produced for it.</summary>
    private static ulong CheckedSequence(Entry entry, string where)
    {
        Assert.True(entry.Payload.Span.SequenceEqual(QueueModel.PayloadOf(entry.Sequence)), $"{where}: the ledger's entry {entry.Sequence} holds a payload that was never produced");
        return entry.Sequence;
    }

    /// <summary>Waits for <paramref name="task"/> at most <see cref="Limit"/>: a hang fails naming <paramref name="what"/>. A failure of the task is left to the caller.</summary>
    private static void Settle(Task task, string where, string what)
    {
        try
        {
            if (!task.Wait(Limit))
            {
                Assert.Fail($"{where}: waited {Limit.TotalSeconds} s for {what}");
            }
        }
        catch (AggregateException)
        {
            // the caller looks at each task
        }
    }

    private static T Settle<T>(Task<T> task, string where, string what)
    {
        try
        {
            if (!task.Wait(Limit))
            {
                Assert.Fail($"{where}: waited {Limit.TotalSeconds} s for {what}");
            }
        }
        catch (AggregateException error)
        {
            Assert.Fail($"{where}: failed waiting for {what}: {error.InnerException}");
        }

        return task.Result;
    }
}
