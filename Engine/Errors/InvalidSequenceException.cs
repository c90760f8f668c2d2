namespace Quasar;

/// <summary>A mark names a sequence that the consumer has not delivered.</summary>
public sealed class InvalidSequenceException : QuasarException
{
    /// <summary>Creates the exception with the default message.</summary>
    public InvalidSequenceException()
        : base("The sequence has not been delivered by this consumer.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public InvalidSequenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidSequenceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
