namespace Quasar.Nats;

/// <summary>JetStream refused to store a mirrored entry; the mirror reports it and starts a new session from its stored position.</summary>
public sealed class MirrorPublishException : Exception
{
    /// <summary>Creates the exception for the entry at <paramref name="sequence"/> and the server's reason.</summary>
    public MirrorPublishException(ulong sequence, string reason)
        : base($"JetStream refused the entry at sequence {sequence}: {reason}")
    {
        Sequence = sequence;
        Reason = reason;
    }

    /// <summary>The refused entry's sequence.</summary>
    public ulong Sequence { get; }

    /// <summary>What the server answered.</summary>
    public string Reason { get; }
}
