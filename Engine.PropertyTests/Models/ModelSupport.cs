namespace Quasar.PropertyTests.Models;

/// <summary>
/// What a call did: returned a value (rendered as text, so that differences print readably) or
/// threw an exception of some exact type.
/// </summary>
internal sealed record Outcome(string? Value, Type? Error, Exception? Thrown = null)
{
    public static Outcome Returned(string value) => new(value, null);

    public static Outcome Throws<TException>()
        where TException : Exception => new(null, typeof(TException));

    /// <summary>Runs <paramref name="call"/> and records what it returned or threw.</summary>
    public static Outcome Of(Func<string> call)
    {
        try
        {
            return Returned(call());
        }
#pragma warning disable CA1031 // any exception is an outcome to compare with the model
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new Outcome(null, e.GetType(), e);
        }
    }

    /// <summary>Fails the test unless <paramref name="actual"/> is exactly this (expected) outcome.</summary>
    public void AssertMatches(Outcome actual, string where)
    {
        bool same = Error is null
            ? actual.Error is null && actual.Value == Value
            : actual.Error == Error;
        if (!same)
        {
            Assert.Fail($"{where}: expected {this}, got {actual}" + (actual.Thrown is null ? string.Empty : $"{Environment.NewLine}{actual.Thrown}"));
        }
    }

    public override string ToString() => Error is null ? $"'{Value}'" : $"{Error.Name}";
}
