namespace Quasar;

/// <summary>A write would make the ledger longer than its configured limit.</summary>
public sealed class LimitReachedException : QuasarException
{
    /// <summary>Creates the exception with the default message.</summary>
    public LimitReachedException()
        : base("The write would make the ledger longer than its limit.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public LimitReachedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LimitReachedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
