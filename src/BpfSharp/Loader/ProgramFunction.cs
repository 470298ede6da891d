namespace BpfSharp.Loader;

/// <summary>A function placed in a linked program: the program's own code first, then each appended subprogram.</summary>
/// <param name="Name">The function's symbol name.</param>
/// <param name="SectionName">The ELF section it came from.</param>
/// <param name="Start">Index of its first instruction in the linked program.</param>
/// <param name="Length">Its length in instruction slots.</param>
public readonly record struct ProgramFunction(string Name, string SectionName, int Start, int Length);
