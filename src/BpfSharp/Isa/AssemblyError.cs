namespace BpfSharp.Isa;

/// <summary>A problem in one line of assembly; <see cref="Assembler"/> turns it into a <see cref="BpfFormatException"/> naming the line.</summary>
internal sealed class AssemblyError(string message) : Exception(message);
