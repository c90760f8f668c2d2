namespace Quasar.Tests.Errors;

public class ExceptionTests
{
    private static readonly Type[] DerivedTypes =
    [
        typeof(NotMonotonicException),
        typeof(LimitReachedException),
        typeof(InvalidSequenceException),
        typeof(ConsumerClosedException),
        typeof(ConsumerDeadlockException),
        typeof(ProducerClosedException),
        typeof(CorruptionException),
    ];

    public static TheoryData<Type> EngineExceptions => new(DerivedTypes);

    public static TheoryData<Type> AllExceptions => new([typeof(QuasarException), .. DerivedTypes]);

    [Fact]
    public void QuasarException_derives_from_Exception()
    {
        Assert.True(typeof(Exception).IsAssignableFrom(typeof(QuasarException)));
    }

    [Theory]
    [MemberData(nameof(EngineExceptions))]
    public void Every_engine_exception_derives_from_QuasarException(Type type)
    {
        Assert.True(type.IsSubclassOf(typeof(QuasarException)), $"{type.Name} does not derive from QuasarException");
    }

    [Theory]
    [MemberData(nameof(AllExceptions))]
    public void Every_exception_lives_in_the_Quasar_namespace_and_is_public(Type type)
    {
        Assert.Equal("Quasar", type.Namespace);
        Assert.True(type.IsPublic);
    }

    [Theory]
    [MemberData(nameof(AllExceptions))]
    public void Every_exception_has_a_non_empty_default_message(Type type)
    {
        var ex = (Exception)Activator.CreateInstance(type)!;

        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Theory]
    [MemberData(nameof(AllExceptions))]
    public void Every_exception_keeps_a_given_message(Type type)
    {
        var ex = (Exception)Activator.CreateInstance(type, "custom text")!;

        Assert.Equal("custom text", ex.Message);
    }

    [Theory]
    [MemberData(nameof(AllExceptions))]
    public void Every_exception_keeps_a_given_inner_exception(Type type)
    {
        var inner = new InvalidOperationException("cause");

        var ex = (Exception)Activator.CreateInstance(type, "outer", inner)!;

        Assert.Equal("outer", ex.Message);
        Assert.Same(inner, ex.InnerException);
    }

    [Fact]
    public void Engine_exceptions_can_be_caught_as_QuasarException()
    {
        static void Throw() => throw new LimitReachedException();

        var ex = Assert.ThrowsAny<QuasarException>(Throw);

        Assert.IsType<LimitReachedException>(ex);
    }

    [Fact]
    public void CorruptionException_exposes_the_file_path_and_offset()
    {
        var ex = new CorruptionException("/data/ledger/000001.seg", 4096, "entry checksum mismatch");

        Assert.Equal("/data/ledger/000001.seg", ex.FilePath);
        Assert.Equal(4096L, ex.Offset);
    }

    [Fact]
    public void CorruptionException_message_names_the_file_the_offset_and_the_problem()
    {
        var ex = new CorruptionException("/data/ledger/000001.seg", 123456789012, "entry checksum mismatch");

        Assert.Contains("/data/ledger/000001.seg", ex.Message, StringComparison.Ordinal);
        Assert.Contains("123456789012", ex.Message, StringComparison.Ordinal);
        Assert.Contains("entry checksum mismatch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptionException_accepts_offset_zero()
    {
        var ex = new CorruptionException("a.seg", 0, "bad header");

        Assert.Equal(0L, ex.Offset);
        Assert.Contains("a.seg", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptionException_without_a_location_reports_no_file_and_offset_minus_one()
    {
        var ex = new CorruptionException("something broke");

        Assert.Null(ex.FilePath);
        Assert.Equal(-1L, ex.Offset);
    }
}
