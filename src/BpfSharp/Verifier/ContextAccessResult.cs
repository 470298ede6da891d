namespace BpfSharp.Verifier;

/// <summary>
/// The answer to one context access: denied (the verifier prints "invalid bpf_context access off=%d size=%d"),
/// or allowed with what a load yields and the field size the kernel records for it.
/// </summary>
/// <param name="Allowed">True when the kernel accepts the access.</param>
/// <param name="Value">For an allowed read, what the register receives.</param>
/// <param name="Field">The field accessed, when allowed.</param>
public readonly record struct ContextAccessResult(bool Allowed, ContextValueKind Value, ContextField? Field)
{
    /// <summary>A refused access.</summary>
    public static ContextAccessResult Denied => default;

    /// <summary>The size the kernel records for the access (<c>ctx_field_size</c>), 0 when denied.</summary>
    public int FieldSize => Field?.FieldSize ?? 0;

    /// <summary>True when the access is narrower than the field size the kernel records (a narrow load).</summary>
    public bool IsNarrow(int size) => Allowed && size < FieldSize;
}
