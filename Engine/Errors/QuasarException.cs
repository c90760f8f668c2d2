namespace Quasar;

/// <summary>The base of every exception the engine defines.</summary>
public class QuasarException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public QuasarException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public QuasarException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public QuasarException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
