using System.Buffers.Binary;
using System.Text;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// A read-only view of a little-endian ELF64 shared object held in memory: the libraries it names
/// as needed (DT_NEEDED), the symbol versions it asks of them (.gnu.version_r) and the versions it
/// defines itself (.gnu.version_d). Layouts follow the System V gABI and the Linux Standard Base's
/// symbol-versioning chapter. Every offset is checked against the buffer, so a truncated or foreign
/// file raises <see cref="InvalidDataException"/> instead of reading past the end.
/// </summary>
internal sealed class ElfImage
{
    const uint SectionDynamic = 6;
    const uint SectionVersionDefinitions = 0x6ffffffd;
    const uint SectionVersionNeeds = 0x6ffffffe;
    const long TagNull = 0, TagNeeded = 1;

    readonly byte[] _bytes;
    readonly SectionHeader[] _sections;

    ElfImage(byte[] bytes, SectionHeader[] sections)
    {
        _bytes = bytes;
        _sections = sections;
    }

    /// <summary>The file's bytes; <see cref="ElfVersionNeed.FlagsOffset"/> indexes into them.</summary>
    public byte[] Bytes => _bytes;

    /// <summary>Reads the section headers of <paramref name="bytes"/>.</summary>
    /// <exception cref="InvalidDataException">Not a little-endian ELF64 file, or a header points outside it.</exception>
    public static ElfImage Parse(byte[] bytes)
    {
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException("not a little-endian 64-bit ELF file");
        long tableOffset = ReadInt64(bytes, 0x28);
        int entrySize = ReadUInt16(bytes, 0x3A), count = ReadUInt16(bytes, 0x3C);
        if (count > 0 && entrySize < 64) throw new InvalidDataException($"section header entries of {entrySize} bytes");
        var sections = new SectionHeader[count];
        for (int i = 0; i < count; i++)
        {
            int at = Checked(bytes, tableOffset + (long)i * entrySize, 64);
            sections[i] = new SectionHeader(
                Type: ReadUInt32(bytes, at + 4),
                Offset: ReadInt64(bytes, at + 24),
                Size: ReadInt64(bytes, at + 32),
                Link: ReadUInt32(bytes, at + 40),
                Info: ReadUInt32(bytes, at + 44));
        }
        return new ElfImage(bytes, sections);
    }

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    public static ElfImage Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>The sonames of the libraries the dynamic section names as needed, in file order.</summary>
    public IReadOnlyList<string> NeededLibraries
    {
        get
        {
            var needed = new List<string>();
            foreach (var dynamic in _sections.Where(s => s.Type == SectionDynamic))
            {
                long strings = StringTable(dynamic.Link).Offset;
                for (long at = dynamic.Offset; at + 16 <= dynamic.Offset + dynamic.Size; at += 16)
                {
                    int entry = Checked(_bytes, at, 16);
                    long tag = ReadInt64(_bytes, entry);
                    if (tag == TagNull) break;
                    if (tag == TagNeeded) needed.Add(ReadString(strings + ReadInt64(_bytes, entry + 8)));
                }
            }
            return needed;
        }
    }

    /// <summary>Every version the file asks of another library, with the flags of its Vernaux entry.</summary>
    public IReadOnlyList<ElfVersionNeed> VersionNeeds
    {
        get
        {
            var needs = new List<ElfVersionNeed>();
            foreach (var section in _sections.Where(s => s.Type == SectionVersionNeeds))
            {
                long strings = StringTable(section.Link).Offset;
                long file = section.Offset;
                for (uint n = 0; n < section.Info; n++)
                {
                    int verneed = Checked(_bytes, file, 16);
                    string library = ReadString(strings + ReadUInt32(_bytes, verneed + 4));
                    long aux = file + ReadUInt32(_bytes, verneed + 8);
                    for (int k = 0, auxCount = ReadUInt16(_bytes, verneed + 2); k < auxCount; k++)
                    {
                        int vernaux = Checked(_bytes, aux, 16);
                        string version = ReadString(strings + ReadUInt32(_bytes, vernaux + 8));
                        needs.Add(new ElfVersionNeed(library, version, ReadUInt16(_bytes, vernaux + 4), vernaux + 4));
                        aux += ReadUInt32(_bytes, vernaux + 12);
                    }
                    uint next = ReadUInt32(_bytes, verneed + 12);
                    if (next == 0) break;
                    file += next;
                }
            }
            return needs;
        }
    }

    /// <summary>The version names the file defines (the first Verdaux name of each Verdef entry).</summary>
    public IReadOnlySet<string> DefinedVersions
    {
        get
        {
            var defined = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in _sections.Where(s => s.Type == SectionVersionDefinitions))
            {
                long strings = StringTable(section.Link).Offset;
                long definition = section.Offset;
                for (uint n = 0; n < section.Info; n++)
                {
                    int verdef = Checked(_bytes, definition, 20);
                    if (ReadUInt16(_bytes, verdef + 6) > 0)
                    {
                        int verdaux = Checked(_bytes, definition + ReadUInt32(_bytes, verdef + 12), 8);
                        defined.Add(ReadString(strings + ReadUInt32(_bytes, verdaux)));
                    }
                    uint next = ReadUInt32(_bytes, verdef + 16);
                    if (next == 0) break;
                    definition += next;
                }
            }
            return defined;
        }
    }

    SectionHeader StringTable(uint index) =>
        index < _sections.Length ? _sections[index] : throw new InvalidDataException($"section link {index} beyond the {_sections.Length} sections");

    string ReadString(long offset)
    {
        int start = Checked(_bytes, offset, 1);
        int end = Array.IndexOf(_bytes, (byte)0, start);
        if (end < 0) throw new InvalidDataException($"unterminated string at offset {offset}");
        return Encoding.ASCII.GetString(_bytes, start, end - start);
    }

    static int Checked(byte[] bytes, long offset, int length) =>
        offset >= 0 && offset + length <= bytes.Length ? (int)offset
            : throw new InvalidDataException($"offset {offset} (+{length}) outside the file's {bytes.Length} bytes");

    static ushort ReadUInt16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(Checked(b, at, 2)));
    static uint ReadUInt32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Checked(b, at, 4)));
    static long ReadInt64(byte[] b, int at) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(Checked(b, at, 8)));

    readonly record struct SectionHeader(uint Type, long Offset, long Size, uint Link, uint Info);
}
