namespace BpfSharp.Verifier;

/// <summary>What one byte of a stack frame holds (the kernel's STACK_* byte kinds).</summary>
public enum StackSlotType : byte
{
    /// <summary>Never written ('?').</summary>
    Invalid,
    /// <summary>Part of a spilled register ('r'); the slot's spilled register state describes it.</summary>
    Spill,
    /// <summary>Some written data ('m').</summary>
    Misc,
    /// <summary>Known zero ('0').</summary>
    Zero,
    /// <summary>Part of a dynptr ('d').</summary>
    Dynptr,
    /// <summary>Part of an iterator ('i').</summary>
    Iter,
    /// <summary>Saved IRQ flags ('f').</summary>
    IrqFlag,
}
