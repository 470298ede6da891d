namespace BpfSharp.Tests.Verifier;

/// <summary>The kinds of instruction the scalar differential programs are made of.</summary>
public enum ScalarDiffStepKind
{
    /// <summary><c>r6 = r1</c>: keeps the context pointer for the loads.</summary>
    SaveContext,
    /// <summary>A load from the context (unknown value of the load's width; signed loads sign-extend).</summary>
    LoadContext,
    /// <summary><c>rD = imm</c> / <c>wD = imm</c>.</summary>
    MoveImmediate,
    /// <summary><c>rD = imm64 ll</c>.</summary>
    LoadImmediate64,
    /// <summary>An ALU operation (not mov, not end) with a register or immediate source.</summary>
    Alu,
    /// <summary><c>rD = rS</c>, <c>wD = wS</c> and their sign-extending forms.</summary>
    Move,
    /// <summary>le/be/bswap.</summary>
    Endian,
    /// <summary>A conditional jump to an exit stub of its own.</summary>
    Branch,
}
