namespace Quasar;

/// <summary>The consumer's window stayed full, with no mark arriving, for longer than its deadline.</summary>
public sealed class ConsumerDeadlockException : QuasarException
{
    /// <summary>Creates the exception with the default message.</summary>
    public ConsumerDeadlockException()
        : base("The consumer's window stayed full for longer than its deadline.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ConsumerDeadlockException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConsumerDeadlockException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
