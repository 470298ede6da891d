namespace BpfSharp.Runtime.Maps;

/// <summary>
/// A deterministic 32-bit hash of key bytes (FNV-1a with a final avalanche), so iteration order is the same on
/// every run. The kernel uses jhash with a random seed; programs must not depend on either order.
/// </summary>
internal static class KeyHash
{
    public static uint Of(ReadOnlySpan<byte> bytes, uint seed = 0)
    {
        uint h = 2166136261u ^ seed;
        foreach (byte b in bytes) h = (h ^ b) * 16777619u;
        h ^= h >> 16;
        h *= 0x85ebca6bu;
        h ^= h >> 13;
        h *= 0xc2b2ae35u;
        return h ^ (h >> 16);
    }
}
