using System.Runtime.InteropServices;

namespace BpfSharp.Verifier;

/// <summary>
/// The abstract value of one register (or of one spilled stack slot) in a verifier state.
/// </summary>
/// <remarks>
/// A packed value type of 84 bytes with no padding holes (checked by a test): the 64-byte
/// <see cref="ScalarValue"/> (tnum and the eight signed/unsigned 64/32-bit bounds), four 32-bit fields and four
/// bytes. The kernel's <c>struct bpf_reg_state</c> is about 120 bytes; the difference is the union of type-specific
/// pointers (map, BTF) that BpfSharp keeps as one 32-bit index into per-verification tables, the liveness parent
/// pointer that 6.18's path-insensitive liveness no longer needs, and the zero-extension bookkeeping that only a
/// JIT needs. States are arrays of these, copied by value.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct RegState
{
    /// <summary>Known bits and bounds: the value of a scalar, the variable offset of a pointer.</summary>
    public ScalarValue Value;

    /// <summary>Fixed offset of a pointer; for a scalar linked by "rX += const", the constant.</summary>
    public int Off;

    /// <summary>
    /// Identity shared by copies: null-check propagation of maybe-null pointers, packet range propagation,
    /// linked scalars (bit 31 set: this scalar is its origin plus <see cref="Off"/>).
    /// </summary>
    public int Id;

    /// <summary>Id of the acquired reference (socket, ringbuf record) this pointer holds, or 0.</summary>
    public int RefObjId;

    /// <summary>
    /// Type-specific datum: map index (map pointers, values and keys), verified range (packet pointers),
    /// size (memory), BTF id, subprogram (functions).
    /// </summary>
    public int Aux;

    /// <summary>Base type.</summary>
    public RegType Type;

    /// <summary>Type modifiers.</summary>
    public RegFlags Flags;

    /// <summary>Frame a stack pointer points into.</summary>
    public byte FrameNo;

    private byte _bits;

    /// <summary>Bit of <see cref="Id"/>: a linked scalar a constant delta away, from a 64-bit add (BPF_ADD_CONST64).</summary>
    public const int AddConst64 = unchecked((int)0x8000_0000);

    /// <summary>Bit of <see cref="Id"/>: the same from a 32-bit add, so syncing zero-extends (BPF_ADD_CONST32).</summary>
    public const int AddConst32 = 0x4000_0000;

    /// <summary>Either delta bit (BPF_ADD_CONST).</summary>
    public const int AddConst = AddConst64 | AddConst32;

    /// <summary>Whether the exact value of this scalar matters for safety (precision tracking).</summary>
    public bool Precise
    {
        readonly get => (_bits & 1) != 0;
        set => _bits = (byte)(value ? _bits | 1 : _bits & ~1);
    }

    /// <summary>True for every type but a scalar (and an uninitialised register).</summary>
    public readonly bool IsPointer => Type != RegType.Scalar;

    /// <summary>True when this may still be NULL.</summary>
    public readonly bool MaybeNull => (Flags & RegFlags.MaybeNull) != 0;

    /// <summary>A scalar known to be zero.</summary>
    public readonly bool IsNull => Type == RegType.Scalar && Value.VarOff.EqualsConst(0);

    /// <summary>A scalar whose value (or 32-bit subregister) is known.</summary>
    public readonly bool IsConstScalar(bool subreg32) =>
        Type == RegType.Scalar && (subreg32 ? Value.VarOff.SubregIsConst : Value.VarOff.IsConst);

    /// <summary>Pointer into packet data or metadata.</summary>
    public readonly bool IsPacketPointer => Type is RegType.Packet or RegType.PacketMeta;

    /// <summary>Packet, metadata or packet end.</summary>
    public readonly bool IsPacketPointerAny => Type is RegType.Packet or RegType.PacketMeta or RegType.PacketEnd;

    /// <summary>Verified packet range of a packet pointer (negative: at or beyond the end).</summary>
    public int Range
    {
        readonly get => Aux;
        set => Aux = value;
    }

    /// <summary>Forget everything: an unknown, imprecise scalar.</summary>
    public void MarkUnknown()
    {
        Value = ScalarValue.Unknown;
        Off = 0;
        Id = 0;
        RefObjId = 0;
        Aux = 0;
        Type = RegType.Scalar;
        Flags = RegFlags.None;
        FrameNo = 0;
        _bits = 0;
    }

    /// <summary>Uninitialised.</summary>
    public void MarkNotInit()
    {
        MarkUnknown();
        Type = RegType.NotInit;
    }

    /// <summary>
    /// Set the variable part to the constant <paramref name="value"/>, clearing offset, ids and type datum but
    /// keeping the type (the kernel's __mark_reg_known).
    /// </summary>
    public void MarkKnown(ulong value)
    {
        Value = ScalarValue.Known(value);
        Off = 0;
        Aux = 0;
        Id = 0;
        RefObjId = 0;
    }

    /// <summary>A scalar constant.</summary>
    public void SetConstScalar(ulong value)
    {
        MarkUnknown();
        MarkKnown(value);
    }

    /// <summary>A pointer of the given type at offset zero.</summary>
    public void SetPointer(RegType type, RegFlags flags = RegFlags.None, int aux = 0)
    {
        MarkUnknown();
        MarkKnown(0);
        Type = type;
        Flags = flags;
        Aux = aux;
    }

    /// <summary>Copy everything (the kernel's copy_register_state).</summary>
    public static void Copy(ref RegState dst, in RegState src) => dst = src;

    /// <summary>Fields that the kernel compares with memcmp up to <c>id</c>: type, offset, datum and value.</summary>
    public readonly bool SameExceptIds(in RegState other) =>
        Type == other.Type && Flags == other.Flags && Off == other.Off && Aux == other.Aux && Value == other.Value;

    /// <summary>Fields before <c>var_off</c>: type, offset and datum.</summary>
    public readonly bool SameHeader(in RegState other) =>
        Type == other.Type && Flags == other.Flags && Off == other.Off && Aux == other.Aux;
}
