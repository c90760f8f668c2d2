namespace Quasar;

/// <summary>A write's sequences are not strictly increasing, or not greater than the ledger's head.</summary>
public sealed class NotMonotonicException : QuasarException
{
    /// <summary>Creates the exception with the default message.</summary>
    public NotMonotonicException()
        : base("The entries are not strictly increasing or not above the ledger's head.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public NotMonotonicException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public NotMonotonicException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
