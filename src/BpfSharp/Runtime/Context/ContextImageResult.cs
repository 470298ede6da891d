namespace BpfSharp.Runtime.Context;

/// <summary>
/// The outcome of building a test run's context: the image, or the errno the kernel answers for that input
/// (<see cref="Errno"/> &gt; 0), or an input the runtime cannot model (<see cref="Unsupported"/>), each with the reason.
/// </summary>
/// <param name="Image">The context and packet, when the kernel would run the program.</param>
/// <param name="Errno">The kernel's errno for a refused input (EINVAL 22, E2BIG 7, ENOMEM 12, ENODEV 19), else 0.</param>
/// <param name="Reason">Why the input is refused or unsupported.</param>
/// <param name="Unsupported">True when the answer depends on machine state the runtime does not model (another device).</param>
public sealed record ContextImageResult(ContextImage? Image, int Errno, string? Reason, bool Unsupported = false)
{
    /// <summary>True when <see cref="Image"/> is there.</summary>
    public bool Succeeded => Image is not null;
}
