namespace Quasar;

/// <summary>The consumer closed before the operation could complete.</summary>
public sealed class ConsumerClosedException : QuasarException
{
    /// <summary>Creates the exception with the default message.</summary>
    public ConsumerClosedException()
        : base("The consumer is closed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ConsumerClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConsumerClosedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
