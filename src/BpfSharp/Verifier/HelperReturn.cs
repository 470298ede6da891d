namespace BpfSharp.Verifier;

/// <summary>What a helper leaves in R0: base kind, flags and, for BTF-typed pointers, the kernel type.</summary>
/// <param name="Kind">The base type (<c>base_type(ret_type)</c>).</param>
/// <param name="Flags">The flag bits (<c>type_flag(ret_type)</c>), e.g. <see cref="HelperTypeFlags.MaybeNull"/>.</param>
/// <param name="BtfType">
/// For <see cref="ReturnKind.PtrToBtfId"/>, the kernel type name (<c>ret_btf_id</c>);
/// <see cref="HelperArgument.DynamicBtfType"/> when it follows an argument (bpf_kptr_xchg); otherwise null.
/// </param>
public sealed record HelperReturn(ReturnKind Kind, HelperTypeFlags Flags = HelperTypeFlags.None, string? BtfType = null)
{
    /// <summary>A scalar result.</summary>
    public static HelperReturn Integer { get; } = new(ReturnKind.Integer);

    /// <summary>No result.</summary>
    public static HelperReturn Void { get; } = new(ReturnKind.Void);

    /// <summary>The kernel's <c>ret_type</c> value: base type with the flag bits.</summary>
    public uint KernelValue => (uint)Kind | (uint)Flags;

    /// <summary>True when the returned pointer may be NULL and must be checked before use.</summary>
    public bool MaybeNull => (Flags & HelperTypeFlags.MaybeNull) != 0;

    /// <inheritdoc/>
    public override string ToString()
    {
        string text = Kind.ToString();
        if (Flags != HelperTypeFlags.None) text += "|" + Flags.ToString().Replace(", ", "|", StringComparison.Ordinal);
        if (BtfType is not null) text += $"<{BtfType}>";
        return text;
    }
}
