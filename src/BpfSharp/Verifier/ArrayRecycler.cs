namespace BpfSharp.Verifier;

/// <summary>
/// Per-thread free lists of arrays by exact length, for tables a verification creates in varying numbers (the
/// stack-liveness masks of each function instance). Returned arrays are handed out again, cleared, to the next
/// verification on the thread; at most <see cref="MaxPerLength"/> are kept per length.
/// </summary>
internal static class ArrayRecycler<T>
{
    public const int MaxPerLength = 64;

    [ThreadStatic] private static Dictionary<int, Stack<T[]>>? t_free;

    /// <summary>A cleared array of exactly <paramref name="length"/> elements.</summary>
    public static T[] Rent(int length)
    {
        if (t_free is not null && t_free.TryGetValue(length, out var stack) && stack.TryPop(out var array))
        {
            Array.Clear(array);
            return array;
        }
        return new T[length];
    }

    /// <summary>Give <paramref name="array"/> back; the caller must not use it afterwards.</summary>
    public static void Return(T[] array)
    {
        if (array.Length > ScratchArray<T>.MaxRetained) return;
        var free = t_free ??= new Dictionary<int, Stack<T[]>>();
        if (!free.TryGetValue(array.Length, out var stack)) free[array.Length] = stack = new Stack<T[]>();
        if (stack.Count < MaxPerLength) stack.Push(array);
    }
}
