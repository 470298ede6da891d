namespace BpfSharp.Verifier;

/// <summary>Where in a context field an access of one size may sit.</summary>
public enum ContextAccessPlacement : byte
{
    /// <summary>Not at all.</summary>
    None = 0,
    /// <summary>Only at the field's first byte.</summary>
    Start = 1,
    /// <summary>At any offset inside the field that is a multiple of the access size.</summary>
    Aligned = 2,
    /// <summary>
    /// At any offset that is a multiple of the access size inside the field's first <see cref="ContextField.FieldSize"/>
    /// bytes (narrow loads of bpf_sock's 2-byte <c>dst_port</c>, whose field also takes a legacy 4-byte load).
    /// </summary>
    Head = 3,
    /// <summary>
    /// At any offset that is a multiple of the access size inside the field except its first byte (narrow loads of a
    /// writable raw tracepoint's <c>args[0]</c>, whose start only takes the 8-byte load of the buffer pointer).
    /// </summary>
    Tail = 4,
}
