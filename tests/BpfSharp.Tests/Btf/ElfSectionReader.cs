using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Tests.Btf;

/// <summary>
/// Just enough ELF64 little-endian reading for tests to pull .BTF/.BTF.ext and function symbols out of corpus
/// objects, independently of the library's own ELF loader. Assumes well-formed input.
/// </summary>
internal sealed class ElfSectionReader
{
    private const uint SymtabType = 2;
    private const int FuncSymbolType = 2;

    private readonly byte[] _file;
    private readonly List<(string Name, uint Type, ulong Offset, ulong Size, uint Link)> _sections = [];

    public ElfSectionReader(byte[] file)
    {
        _file = file;
        if (file.Length < 64 || file[0] != 0x7f || file[1] != (byte)'E' || file[4] != 2 || file[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0x28));
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3a));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3c));
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3e));
        var raw = new List<(uint NameOff, uint Type, ulong Offset, ulong Size, uint Link)>();
        for (int i = 0; i < shnum; i++)
        {
            var h = file.AsSpan((int)shoff + i * shentsize);
            raw.Add((BinaryPrimitives.ReadUInt32LittleEndian(h), BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[24..]), BinaryPrimitives.ReadUInt64LittleEndian(h[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[40..])));
        }
        ulong names = raw[shstrndx].Offset;
        foreach (var s in raw) _sections.Add((CString(names + s.NameOff), s.Type, s.Offset, s.Size, s.Link));
    }

    public static ElfSectionReader Load(string path) => new(File.ReadAllBytes(path));

    /// <summary>The contents of the first section named <paramref name="name"/>, or null.</summary>
    public byte[]? Section(string name)
    {
        foreach (var s in _sections)
        {
            if (s.Name == name) return _file.AsSpan((int)s.Offset, (int)s.Size).ToArray();
        }
        return null;
    }

    /// <summary>Function symbols: (section name, byte offset in the section, symbol name).</summary>
    public IEnumerable<(string Section, ulong Value, string Name)> FunctionSymbols()
    {
        foreach (var symtab in _sections.Where(s => s.Type == SymtabType))
        {
            ulong strings = _sections[(int)symtab.Link].Offset;
            for (ulong at = symtab.Offset; at + 24 <= symtab.Offset + symtab.Size; at += 24)
            {
                var sym = _file.AsSpan((int)at, 24);
                if ((sym[4] & 0xf) != FuncSymbolType) continue;
                int shndx = BinaryPrimitives.ReadUInt16LittleEndian(sym[6..]);
                if (shndx == 0 || shndx >= _sections.Count) continue;
                yield return (_sections[shndx].Name, BinaryPrimitives.ReadUInt64LittleEndian(sym[8..]),
                    CString(strings + BinaryPrimitives.ReadUInt32LittleEndian(sym)));
            }
        }
    }

    private string CString(ulong offset)
    {
        var rest = _file.AsSpan((int)offset);
        return Encoding.UTF8.GetString(rest[..rest.IndexOf((byte)0)]);
    }
}
