namespace BpfSharp.Loader;

/// <summary>A function found in an executable section: its name and where its instructions are.</summary>
/// <param name="Name">The symbol name (or the section name when the section has no symbols).</param>
/// <param name="Section">Index of the executable section.</param>
/// <param name="Start">Index of the first instruction inside the section.</param>
/// <param name="Length">Number of instruction slots.</param>
internal readonly record struct CodeFunction(string Name, int Section, int Start, int Length)
{
    public bool Contains(int section, int index) => section == Section && index >= Start && index < Start + Length;
}
