namespace BpfSharp.Loader;

/// <summary>A resolved relocation of one instruction of an executable section.</summary>
/// <param name="Kind">What the reference is.</param>
/// <param name="MapIndex">For maps: the index in the object's map list.</param>
/// <param name="Offset">For map values: the byte offset inside the value.</param>
/// <param name="TargetSection">For calls and function addresses: the section of the target.</param>
/// <param name="TargetIndex">For calls and function addresses: the target instruction inside its section.</param>
/// <param name="Problem">For unresolved references: why.</param>
internal readonly record struct InstructionRelocation(
    RelocationKind Kind, int MapIndex = 0, uint Offset = 0, int TargetSection = 0, int TargetIndex = 0, string? Problem = null);
