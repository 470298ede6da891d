using System.Buffers.Binary;
using BpfSharp.Btf;
using BpfSharp.Elf;

namespace BpfSharp.Loader;

/// <summary>
/// Fills in what the compiler leaves for the loader in a .BTF section: each DATASEC's size and its variables'
/// offsets, taken from the ELF section sizes and symbol values (libbpf does the same before loading BTF; the
/// kernel refuses a DATASEC whose variables do not lie inside it).
/// </summary>
internal static class BtfDatasecFixup
{
    /// <summary>Returns a patched copy of <paramref name="raw"/>, or <paramref name="raw"/> itself when nothing changes.</summary>
    public static byte[] Apply(byte[] raw, BtfSpec btf, ElfFile elf)
    {
        byte[]? patched = null;
        for (uint id = 1; id < btf.Count; id++)
        {
            if (btf.KindOf(id) != BtfKind.Datasec) continue;
            var section = elf.FindSection(btf.NameOf(id));
            if (section is null) continue;
            var symbols = elf.Symbols
                .Where(s => s.SectionIndex == section.Index && s.Type == ElfSymbolType.Object && s.Name.Length > 0)
                .GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First().Value);
            int record = btf.RecordOffset(id);
            void Write(int offset, uint value)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian((patched ?? raw).AsSpan(offset)) == value) return;
                patched ??= (byte[])raw.Clone();
                BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(offset), value);
            }
            Write(record + 8, (uint)Math.Min(section.Size, uint.MaxValue));
            var vars = btf.DatasecVars(id);
            for (int i = 0; i < vars.Count; i++)
            {
                if (btf.KindOf(vars[i].Type) != BtfKind.Var) continue;
                if (symbols.TryGetValue(btf.NameOf(vars[i].Type), out ulong value) && value <= uint.MaxValue)
                    Write(record + 12 + i * 12 + 4, (uint)value);
            }
        }
        return patched ?? raw;
    }
}
