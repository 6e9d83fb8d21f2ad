// MSBuild inline task (compiled by RoslynCodeTaskFactory from build/TorchSharpNatives.targets).
// Marks one version need of an ELF64 shared object weak (VER_FLG_WEAK in vna_flags of its Vernaux
// entry in .gnu.version_r), so the dynamic loader accepts a host library that lacks that version.
// TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13) only for
// std::ios_base_library_init(), which nothing relocates against; Debian 12 stops at 3.4.30.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkElfVersionNeedWeak : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>ELF files to patch in place.</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version name whose need becomes weak, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string VersionName { get; set; } = "";

    /// <summary>Libraries searched for the version; when one defines it, nothing is patched.</summary>
    public string[] HostLibraries { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        foreach (var lib in HostLibraries)
        {
            if (File.Exists(lib) && Contains(File.ReadAllBytes(lib), Encoding.ASCII.GetBytes(VersionName + "\0")))
            {
                Log.LogMessage(MessageImportance.Low, $"{lib} defines {VersionName}; TorchSharp natives left as shipped.");
                return true;
            }
        }
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            try
            {
                byte[] elf = File.ReadAllBytes(path);
                int changed = Patch(elf, VersionName);
                if (changed > 0)
                {
                    string tmp = path + ".patching";
                    File.WriteAllBytes(tmp, elf);
                    File.Copy(tmp, path, true);
                    File.Delete(tmp);
                    Log.LogMessage(MessageImportance.Normal, $"Marked {VersionName} need weak in {path}.");
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is ArgumentOutOfRangeException)
            {
                Log.LogWarning($"Could not patch {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Returns how many Vernaux entries were newly marked weak (0 when already weak or absent).</summary>
    static int Patch(byte[] b, string want)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        int changed = 0;
        byte[] wantBytes = Encoding.ASCII.GetBytes(want);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed) continue;
            long off = BitConverter.ToInt64(b, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(b, (int)sh + 44);
            long strtab = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 24);
            long p = off;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(b, (int)p + 2);
                long a = p + BitConverter.ToUInt32(b, (int)p + 8);
                for (int k = 0; k < auxCount; k++)
                {
                    ushort flags = BitConverter.ToUInt16(b, (int)a + 4);
                    long name = strtab + BitConverter.ToUInt32(b, (int)a + 8);
                    if (NameEquals(b, name, wantBytes) && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(b, (int)a + 4);
                        changed++;
                    }
                    a += BitConverter.ToUInt32(b, (int)a + 12);
                }
                p += BitConverter.ToUInt32(b, (int)p + 12);
            }
        }
        return changed;
    }

    static bool NameEquals(byte[] b, long at, byte[] want)
    {
        if (at + want.Length >= b.Length) return false;
        for (int i = 0; i < want.Length; i++) if (b[at + i] != want[i]) return false;
        return b[at + want.Length] == 0;
    }

    static bool Contains(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            if (hay[i] != needle[0]) continue;
            int k = 1;
            while (k < needle.Length && hay[i + k] == needle[k]) k++;
            if (k == needle.Length) return true;
        }
        return false;
    }
}
