using System.Buffers;
using BenchmarkDotNet.Attributes;

namespace Quasar.Bench.Micro;

// Sequence codecs: the span overloads must not allocate.
[MemoryDiagnoser]
public class SequenceCodecBenchmarks
{
    private const int ListLength = 100;
    private const int MarkCount = 1_000;

    // A generated-looking sequence: 2025-01-01T00:00:00Z, ordinal 4242 (19 digits).
    private static readonly ulong Value = Sequence.Join(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), 4242);

    private readonly byte[] destination = new byte[Sequence.EncodedLength];
    private byte[] padded = [];
    private byte[] compact = [];
    private ulong[] list = [];
    private byte[] encodedList = [];
    private ArrayBufferWriter<byte> writer = new();
    private Dictionary<ulong, bool> marks = [];

    [GlobalSetup]
    public void Setup()
    {
        padded = Sequence.Encode(Value);
        compact = Sequence.Encode(Value, compact: true);

        list = new ulong[ListLength];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = Value + (ulong)(i * 7);
        }

        encodedList = Sequence.EncodeList(list);
        writer = new ArrayBufferWriter<byte>(encodedList.Length * 2);

        // A consumer's mark table: mostly marked, about 1 in 100 still pending.
        marks = new Dictionary<ulong, bool>(MarkCount);
        for (int i = 0; i < MarkCount; i++)
        {
            marks[Value + (ulong)i] = i % 100 != 37;
        }
    }

    [Benchmark]
    public int EncodePadded() => Sequence.Encode(Value, destination);

    [Benchmark]
    public int EncodeCompact() => Sequence.Encode(Value, destination, compact: true);

    [Benchmark]
    public byte[] EncodeToArray() => Sequence.Encode(Value);

    [Benchmark]
    public ulong DecodePadded() => Sequence.Decode(padded);

    [Benchmark]
    public ulong DecodeCompact() => Sequence.Decode(compact);

    [Benchmark]
    public ulong TryDecode() => Sequence.TryDecode(compact, out ulong sequence) ? sequence : 0;

    [Benchmark]
    public int EncodeListToWriter()
    {
        writer.ResetWrittenCount();
        Sequence.EncodeList(list, writer);
        return writer.WrittenCount;
    }

    [Benchmark]
    public byte[] EncodeListToArray() => Sequence.EncodeList(list);

    [Benchmark]
    public ulong[] DecodeList() => Sequence.DecodeList(encodedList);

    [Benchmark]
    public ulong[] Compile() => Sequence.Compile(marks);
}
