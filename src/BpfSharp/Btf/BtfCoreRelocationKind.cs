namespace BpfSharp.Btf;

/// <summary>What a CO-RE relocation computes (the kernel's enum bpf_core_relo_kind).</summary>
public enum BtfCoreRelocationKind : uint
{
    /// <summary>The byte offset of a field.</summary>
    FieldByteOffset = 0,

    /// <summary>The size of a field in bytes.</summary>
    FieldByteSize = 1,

    /// <summary>Whether a field exists in the target (1 or 0).</summary>
    FieldExists = 2,

    /// <summary>Whether a field is signed (1 or 0).</summary>
    FieldSigned = 3,

    /// <summary>The left shift for extracting a bitfield from a 64-bit load.</summary>
    FieldLShiftU64 = 4,

    /// <summary>The right shift for extracting a bitfield from a 64-bit load.</summary>
    FieldRShiftU64 = 5,

    /// <summary>The type's id in the program's own BTF.</summary>
    TypeIdLocal = 6,

    /// <summary>The matching type's id in the target BTF.</summary>
    TypeIdTarget = 7,

    /// <summary>Whether the type exists in the target (1 or 0).</summary>
    TypeExists = 8,

    /// <summary>The type's size in the target.</summary>
    TypeSize = 9,

    /// <summary>Whether an enumerator exists in the target (1 or 0).</summary>
    EnumValueExists = 10,

    /// <summary>The enumerator's value in the target.</summary>
    EnumValueValue = 11,

    /// <summary>Whether the target has a type that matches the local one (1 or 0), by the stricter match rules.</summary>
    TypeMatches = 12,
}
