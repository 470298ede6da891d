using BpfSharp.Btf;

namespace BpfSharp.Verifier;

/// <summary>
/// The special fields of a map value that the verifier guards, found by their BTF type names as the kernel finds
/// them (btf_parse_fields): struct bpf_spin_lock and struct bpf_timer, in the value struct or in structs nested
/// in it.
/// </summary>
internal readonly record struct MapValueFields(int SpinLockOffset, int TimerOffset)
{
    public static readonly MapValueFields None = new(-1, -1);

    /// <summary>The fields of value type <paramref name="valueTypeId"/> of <paramref name="btf"/>.</summary>
    public static MapValueFields Find(BtfSpec btf, uint valueTypeId)
    {
        int spinLock = -1, timer = -1;
        try
        {
            Walk(btf, valueTypeId, 0, 0, ref spinLock, ref timer);
        }
        catch (BpfFormatException)
        {
            // A value type the BTF reader cannot follow has no fields the verifier could rely on.
            return None;
        }
        return new MapValueFields(spinLock, timer);
    }

    private static void Walk(BtfSpec btf, uint typeId, int baseOffset, int depth, ref int spinLock, ref int timer)
    {
        uint t = btf.SkipModifiers(typeId);
        if (depth > 8 || t == 0 || btf.KindOf(t) is not (BtfKind.Struct or BtfKind.Union)) return;
        foreach (var member in btf.Members(t))
        {
            uint mt = btf.SkipModifiers(member.Type);
            if (mt == 0 || member.BitfieldSize != 0) continue;
            int offset = baseOffset + (int)(member.BitOffset / 8);
            if (btf.KindOf(mt) != BtfKind.Struct) continue;
            switch (btf.NameOf(mt))
            {
                case "bpf_spin_lock":
                    if (spinLock < 0) spinLock = offset;
                    break;
                case "bpf_timer":
                    if (timer < 0) timer = offset;
                    break;
                default:
                    Walk(btf, mt, offset, depth + 1, ref spinLock, ref timer);
                    break;
            }
        }
    }
}
