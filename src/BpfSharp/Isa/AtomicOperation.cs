namespace BpfSharp.Isa;

/// <summary>Values of the immediate of an atomic instruction (RFC 9669 section 5.3, plus load-acquire/store-release).</summary>
public static class AtomicOperation
{
    /// <summary>Atomic add.</summary>
    public const int Add = 0x00;
    /// <summary>Atomic or.</summary>
    public const int Or = 0x40;
    /// <summary>Atomic and.</summary>
    public const int And = 0x50;
    /// <summary>Atomic xor.</summary>
    public const int Xor = 0xa0;
    /// <summary>Modifier: the old value is returned in the source register.</summary>
    public const int Fetch = 0x01;
    /// <summary>Atomic exchange (always fetches).</summary>
    public const int Xchg = 0xe0 | Fetch;
    /// <summary>Atomic compare and exchange with r0 (always fetches).</summary>
    public const int Cmpxchg = 0xf0 | Fetch;
    /// <summary>Load with acquire semantics.</summary>
    public const int LoadAcquire = 0x100;
    /// <summary>Store with release semantics.</summary>
    public const int StoreRelease = 0x110;
}
