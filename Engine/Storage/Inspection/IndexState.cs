namespace Quasar.Storage;

/// <summary>The state of a segment's index file, as its header says.</summary>
public enum IndexState
{
    /// <summary>There is no index file (recovery builds one from the segment).</summary>
    Missing,

    /// <summary>The file is shorter than its header, or the header fails its checks (recovery rebuilds it).</summary>
    Invalid,

    /// <summary>The index of the segment being appended to: the slot count is not final.</summary>
    Active,

    /// <summary>A sealed segment's index: the slot count and the slots' checksum are final.</summary>
    Sealed,
}
