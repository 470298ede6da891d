namespace BpfSharp.Verifier;

/// <summary>One argument of a helper prototype: its base kind, flags, fixed size and BTF type.</summary>
/// <param name="Kind">The base type (<c>base_type(arg_type)</c>).</param>
/// <param name="Flags">The flag bits (<c>type_flag(arg_type)</c>).</param>
/// <param name="Size">For <see cref="HelperTypeFlags.FixedSize"/> memory, the size in bytes (<c>argN_size</c>); otherwise 0.</param>
/// <param name="BtfType">
/// For BTF-typed arguments, the name of the kernel type the pointer must have (<c>argN_btf_id</c>, e.g.
/// <c>task_struct</c>); <see cref="DynamicBtfType"/> when the verifier derives it from another argument; otherwise null.
/// </param>
public sealed record HelperArgument(ArgumentKind Kind, HelperTypeFlags Flags = HelperTypeFlags.None, int Size = 0, string? BtfType = null)
{
    /// <summary>The BTF type name used where the kernel decides the type at the call (its <c>BPF_PTR_POISON</c>).</summary>
    public const string DynamicBtfType = "<dynamic>";

    /// <summary>An unused argument.</summary>
    public static HelperArgument DontCare { get; } = new(ArgumentKind.DontCare);

    /// <summary>The kernel's <c>arg_type</c> value: base type with the flag bits.</summary>
    public uint KernelValue => (uint)Kind | (uint)Flags;

    /// <summary>True for an argument that is used.</summary>
    public bool IsUsed => Kind != ArgumentKind.DontCare;

    /// <summary>True when NULL (a known zero) is accepted.</summary>
    public bool MaybeNull => (Flags & HelperTypeFlags.MaybeNull) != 0;

    /// <summary>True when the helper only reads the memory (read-only memory is accepted).</summary>
    public bool IsReadOnly => (Flags & HelperTypeFlags.ReadOnly) != 0;

    /// <summary>True when the helper writes the memory.</summary>
    public bool IsWrite => (Flags & HelperTypeFlags.Write) != 0;

    /// <summary>True when the memory may be uninitialized before the call.</summary>
    public bool IsUninit => (Flags & HelperTypeFlags.Uninit) != 0;

    /// <summary>True when the helper releases the reference the argument holds.</summary>
    public bool IsRelease => (Flags & HelperTypeFlags.Release) != 0;

    /// <summary>True for memory whose size is <see cref="Size"/> rather than the next argument.</summary>
    public bool IsFixedSize => (Flags & HelperTypeFlags.FixedSize) != 0;

    /// <summary>True for the size arguments that follow a memory argument.</summary>
    public bool IsSize => Kind is ArgumentKind.ConstSize or ArgumentKind.ConstSizeOrZero;

    /// <inheritdoc/>
    public override string ToString()
    {
        string text = Kind.ToString();
        if (Flags != HelperTypeFlags.None) text += "|" + Flags.ToString().Replace(", ", "|", StringComparison.Ordinal);
        if (Size != 0) text += $"[{Size}]";
        if (BtfType is not null) text += $"<{BtfType}>";
        return text;
    }
}
