namespace BpfSharp.Runtime;

/// <summary>
/// The one exception a running program raises: a bad memory access, an invalid or unsupported instruction, an
/// unknown helper, an exhausted instruction budget, too deep a call chain. The run stops; memory outside the
/// regions the program was given is never touched. <see cref="InstructionIndex"/> says where it happened.
/// </summary>
public sealed class BpfRuntimeException : Exception
{
    /// <summary>Creates the exception for instruction <paramref name="instructionIndex"/> (-1 when no instruction ran).</summary>
    public BpfRuntimeException(int instructionIndex, string message)
        : base(instructionIndex >= 0 ? $"insn {instructionIndex}: {message}" : message)
    {
        InstructionIndex = instructionIndex;
        Reason = message;
    }

    /// <summary>Creates a memory-access error naming the address, the access size and the region (or its absence).</summary>
    public BpfRuntimeException(int instructionIndex, string message, ulong address, int accessSize, string? regionName)
        : this(instructionIndex, message)
    {
        Address = address;
        AccessSize = accessSize;
        RegionName = regionName;
    }

    /// <summary>The instruction index (within the program that was running) at fault, or -1.</summary>
    public int InstructionIndex { get; }

    /// <summary>The message without the instruction prefix.</summary>
    public string Reason { get; }

    /// <summary>For a memory error: the address the program used.</summary>
    public ulong? Address { get; }

    /// <summary>For a memory error: the number of bytes accessed.</summary>
    public int? AccessSize { get; }

    /// <summary>For a memory error: the region the address pointed into, or null when it pointed into none.</summary>
    public string? RegionName { get; }
}
