namespace Quasar.Tests.OpenFiles;

/// <summary>A fact that counts descriptors and mappings through /proc; skipped, saying why, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> off Linux.</summary>
    public LinuxFactAttribute()
    {
        Skip = LedgerFileHandles.Unavailable;
    }
}
