namespace BpfSharp.Verifier;

/// <summary>Modifiers of a pointer type (the kernel's <c>enum bpf_type_flag</c> bits that BpfSharp tracks).</summary>
[Flags]
public enum RegFlags : byte
{
    /// <summary>No modifier.</summary>
    None = 0,
    /// <summary>May be NULL: must be compared with 0 before use ("_or_null").</summary>
    MaybeNull = 1,
    /// <summary>Read-only memory ("rdonly_").</summary>
    ReadOnly = 2,
    /// <summary>A ring buffer record ("ringbuf_").</summary>
    RingBuf = 4,
    /// <summary>Per-CPU kernel memory ("percpu_").</summary>
    PerCpu = 8,
    /// <summary>RCU protected ("rcu_").</summary>
    Rcu = 16,
    /// <summary>Untrusted kernel pointer ("untrusted_").</summary>
    Untrusted = 32,
    /// <summary>Trusted kernel pointer ("trusted_").</summary>
    Trusted = 64,
    /// <summary>User memory ("user_").</summary>
    User = 128,
}
