namespace BpfSharp.Stats;

/// <summary>
/// A <c>-e</c>, <c>-s</c> or <c>-f</c> argument that cannot be parsed (an unknown stat name, a bad number, a filter on
/// a name column). The message quotes the argument, so the CLI can print it as is.
/// </summary>
public sealed class StatsUsageException : Exception
{
    /// <summary>Creates the exception for <paramref name="argument"/>.</summary>
    /// <param name="message">What is wrong, quoting the argument.</param>
    /// <param name="argument">The offending argument (a stat spec or filter expression).</param>
    public StatsUsageException(string message, string argument) : base(message) => Argument = argument;

    /// <summary>The offending argument as the user wrote it.</summary>
    public string Argument { get; }
}
