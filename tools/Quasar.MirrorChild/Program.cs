using System.Globalization;
using NATS.Client.Core;
using Quasar;
using Quasar.Nats;

// The child process of Engine.Tests/Nats/MirrorCrashTests.cs: writes args[3] entries to the ledger
// "orders" of the Db in args[0], then mirrors it (consumer "to-nats", positions in the table
// "marks") to the subject args[2] on the server at args[1]; prints "ready mirror" once started and
// runs until the test SIGKILLs it mid-stream.
if (args.Length != 4 || !int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
{
    Console.Error.WriteLine("usage: Quasar.MirrorChild <db directory> <nats url> <subject> <entries>");
    return 2;
}

using Db db = Db.Open(args[0]);
using Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = "orders" });
using Table table = Table.Open(db, new TableOptions { Prefix = "marks" });
for (int written = 0; written < count;)
{
    int size = Math.Min(1000, count - written);
    ulong first = Sequence.Generate((uint)size);
    var batch = new Entry[size];
    for (int i = 0; i < size; i++)
    {
        ulong sequence = first + (ulong)i;
        batch[i] = new Entry(sequence, System.Text.Encoding.ASCII.GetBytes($"entry-{sequence}"));
    }

    ledger.Write(batch);
    written += size;
}

await using var connection = new NatsConnection(new NatsOpts { Url = args[1], MaxReconnectRetry = -1 });
await using var mirror = new LedgerMirror(ledger, table, connection, new LedgerMirrorOptions
{
    Name = "to-nats",
    Subject = args[2],
    Errors = failure => Console.Error.WriteLine(failure.Message),
});
await mirror.StartAsync();
Console.WriteLine("ready mirror");
await mirror.Completion;
await Task.Delay(Timeout.Infinite);
return 1;
