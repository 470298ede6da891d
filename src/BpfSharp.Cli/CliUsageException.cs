namespace BpfSharp.Cli;

/// <summary>An option value the parser accepted but that means nothing (an unknown program type, a missing program).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
