namespace BpfSharp.Verifier;

/// <summary>
/// The kernel's check_{add,sub,mul}_overflow: the wrapped result and whether the exact result did not fit.
/// </summary>
internal static class ScalarOverflow
{
    public static bool Add(int a, int b, out int r) { r = a + b; return ((a ^ r) & (b ^ r)) < 0; }

    public static bool Add(long a, long b, out long r) { r = a + b; return ((a ^ r) & (b ^ r)) < 0; }

    public static bool Add(uint a, uint b, out uint r) { r = a + b; return r < a; }

    public static bool Add(ulong a, ulong b, out ulong r) { r = a + b; return r < a; }

    public static bool Sub(int a, int b, out int r) { r = a - b; return ((a ^ b) & (a ^ r)) < 0; }

    public static bool Sub(long a, long b, out long r) { r = a - b; return ((a ^ b) & (a ^ r)) < 0; }

    public static bool Sub(uint a, uint b, out uint r) { r = a - b; return a < b; }

    public static bool Sub(ulong a, ulong b, out ulong r) { r = a - b; return a < b; }

    public static bool Mul(int a, int b, out int r)
    {
        long p = (long)a * b;
        r = (int)p;
        return p != r;
    }

    public static bool Mul(uint a, uint b, out uint r)
    {
        ulong p = (ulong)a * b;
        r = (uint)p;
        return p > uint.MaxValue;
    }

    public static bool Mul(long a, long b, out long r)
    {
        long high = Math.BigMul(a, b, out r);
        return high != r >> 63;
    }

    public static bool Mul(ulong a, ulong b, out ulong r) => Math.BigMul(a, b, out r) != 0;
}
