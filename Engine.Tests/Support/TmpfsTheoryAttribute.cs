namespace Quasar.Tests.Support;

/// <summary>A theory that needs a real <see cref="SmallTmpfs"/>; skipped, saying why, where none can be mounted (not root, not Linux).</summary>
public sealed class TmpfsTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when this machine cannot mount a tmpfs.</summary>
    public TmpfsTheoryAttribute()
    {
        Skip = SmallTmpfs.Unavailable;
    }
}
