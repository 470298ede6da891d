namespace BpfSharp.Btf;

/// <summary>The kind of a BTF type: bits 24-28 of the type's info word, with the kernel's numbering.</summary>
public enum BtfKind : byte
{
    /// <summary>Type id 0, the void type (the kernel's BTF_KIND_UNKN); never stored in the type section.</summary>
    Void = 0,

    /// <summary>An integer, char or bool, with a size and an encoding.</summary>
    Int = 1,

    /// <summary>A pointer to another type.</summary>
    Ptr = 2,

    /// <summary>A fixed-length array with element and index types.</summary>
    Array = 3,

    /// <summary>A struct with members.</summary>
    Struct = 4,

    /// <summary>A union with members.</summary>
    Union = 5,

    /// <summary>An enumeration with 32-bit values.</summary>
    Enum = 6,

    /// <summary>A forward declaration of a struct or union.</summary>
    Fwd = 7,

    /// <summary>A typedef name for another type.</summary>
    Typedef = 8,

    /// <summary>The volatile qualifier.</summary>
    Volatile = 9,

    /// <summary>The const qualifier.</summary>
    Const = 10,

    /// <summary>The restrict qualifier.</summary>
    Restrict = 11,

    /// <summary>A named function; refers to its <see cref="FuncProto"/>.</summary>
    Func = 12,

    /// <summary>A function signature: return type and parameters.</summary>
    FuncProto = 13,

    /// <summary>A variable, as listed in a <see cref="Datasec"/>.</summary>
    Var = 14,

    /// <summary>A data section (such as .data or .maps) listing the variables in it.</summary>
    Datasec = 15,

    /// <summary>A floating-point type.</summary>
    Float = 16,

    /// <summary>A declaration tag (btf_decl_tag attribute) on a type, member or parameter.</summary>
    DeclTag = 17,

    /// <summary>A type tag (btf_type_tag attribute), such as the kernel's __user.</summary>
    TypeTag = 18,

    /// <summary>An enumeration with 64-bit values.</summary>
    Enum64 = 19,
}
