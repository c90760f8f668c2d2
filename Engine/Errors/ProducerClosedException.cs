namespace Quasar;

/// <summary>The producer closed before the entry was written.</summary>
public sealed class ProducerClosedException : QuasarException
{
    /// <summary>Creates the exception with the default message.</summary>
    public ProducerClosedException()
        : base("The producer is closed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ProducerClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ProducerClosedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
