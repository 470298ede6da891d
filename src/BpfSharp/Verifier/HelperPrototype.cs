using BpfSharp.Isa;

namespace BpfSharp.Verifier;

/// <summary>
/// A helper's <c>struct bpf_func_proto</c>: the facts the verifier checks a call against. A helper id can have
/// several prototypes (the kernel picks one per program type or attach type); <see cref="KernelName"/> tells them apart.
/// </summary>
/// <param name="Id">The helper id (the immediate of <c>call</c>).</param>
/// <param name="KernelName">The name of the kernel's prototype object, e.g. <c>bpf_get_stackid_proto_pe</c>.</param>
/// <param name="Return">What R0 holds after the call.</param>
/// <param name="Arguments">The five argument slots R1..R5; unused ones are <see cref="HelperArgument.DontCare"/>.</param>
public sealed record HelperPrototype(int Id, string KernelName, HelperReturn Return, IReadOnlyList<HelperArgument> Arguments)
{
    /// <summary>Only GPL-compatible programs may call it ("cannot call GPL-restricted function from non-GPL compatible program").</summary>
    public bool GplOnly { get; init; }

    /// <summary>The helper accepts packet pointers for its memory arguments (<c>pkt_access</c>).</summary>
    public bool PacketAccess { get; init; }

    /// <summary>The helper may sleep: only sleepable programs may call it (<c>might_sleep</c>).</summary>
    public bool MightSleep { get; init; }

    /// <summary>The helper follows the bpf_fastcall contract (<c>allow_fastcall</c>).</summary>
    public bool AllowFastcall { get; init; }

    /// <summary>
    /// The kernel asks a callback whether this program may call it (<c>allowed</c>, e.g. bpf_d_path's list of
    /// attach functions); when it says no the verifier prints "helper call is not allowed in probe".
    /// </summary>
    public bool HasAllowedCheck { get; init; }

    /// <summary>The helper's name with the <c>bpf_</c> prefix, as the verifier log prints it.</summary>
    public string Name => HelperFunctions.NameOf(Id) ?? $"unknown#{Id}";

    /// <summary>The number of arguments used (the index of the last one that is not don't-care).</summary>
    public int ArgumentCount
    {
        get
        {
            for (int i = Arguments.Count - 1; i >= 0; i--)
                if (Arguments[i].IsUsed) return i + 1;
            return 0;
        }
    }

    /// <summary>The argument in register R<paramref name="register"/> (1..5).</summary>
    public HelperArgument Argument(int register) =>
        register is >= 1 and <= 5 ? Arguments[register - 1] : throw new ArgumentOutOfRangeException(nameof(register), register, "helper arguments are R1..R5");

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Return} {Name}({string.Join(", ", Arguments.Take(ArgumentCount))})";
}
