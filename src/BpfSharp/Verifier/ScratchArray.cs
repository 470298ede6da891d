namespace BpfSharp.Verifier;

/// <summary>
/// Per-thread arrays that a verification sizes to its program (instruction aux data, CFG tables, liveness
/// masks) and the next verification on the thread reuses, cleared: with <see cref="StatePool"/>, a tool that
/// verifies many programs stops allocating per program. Arrays for programs above <see cref="MaxRetained"/>
/// instructions are not kept, so one huge program does not pin its tables for the thread's life.
/// </summary>
internal static class ScratchArray<T>
{
    /// <summary>Largest array (in elements) kept for reuse.</summary>
    public const int MaxRetained = 1 << 17;

    [ThreadStatic] private static T[]?[]? t_slots;

    /// <summary>
    /// An array of at least <paramref name="length"/> elements whose first <paramref name="length"/> are cleared.
    /// Each caller owns its <paramref name="slot"/> until the verification ends.
    /// </summary>
    public static T[] Get(int slot, int length)
    {
        var slots = t_slots ??= new T[]?[8];
        var array = slots[slot];
        if (array is not null && array.Length >= length)
        {
            Array.Clear(array, 0, length);
            return array;
        }
        array = new T[length];
        if (length <= MaxRetained) slots[slot] = array;
        return array;
    }
}
