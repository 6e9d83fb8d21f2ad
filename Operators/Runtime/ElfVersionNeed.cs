using System.Buffers.Binary;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// One version an ELF object asks of a library it needs (a Vernaux entry of .gnu.version_r), e.g.
/// GLIBCXX_3.4.32 of libstdc++.so.6. A weak need (VER_FLG_WEAK) lets the dynamic loader accept a
/// library that lacks the version; only symbols bound to it would then fail to resolve.
/// </summary>
/// <param name="Library">The soname of the library asked (vn_file).</param>
/// <param name="Version">The version name (vna_name).</param>
/// <param name="Flags">The entry's flags (vna_flags).</param>
/// <param name="FlagsOffset">Where the flags lie in the file.</param>
internal readonly record struct ElfVersionNeed(string Library, string Version, ushort Flags, int FlagsOffset)
{
    /// <summary>The VER_FLG_WEAK bit of vna_flags.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>True when the loader accepts a library without this version.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;

    /// <summary>
    /// Marks every strong need of <paramref name="version"/> in <paramref name="image"/> weak, in
    /// its bytes, and returns how many entries changed (0 when none asks it or all are weak already).
    /// </summary>
    public static int MarkWeak(ElfImage image, string version)
    {
        int changed = 0;
        foreach (var need in image.VersionNeeds.Where(n => n.Version == version && !n.IsWeak))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(image.Bytes.AsSpan(need.FlagsOffset, 2), (ushort)(need.Flags | WeakFlag));
            changed++;
        }
        return changed;
    }
}
