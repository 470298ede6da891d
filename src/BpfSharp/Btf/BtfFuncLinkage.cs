namespace BpfSharp.Btf;

/// <summary>The linkage of a BTF function (stored in the func type's vlen field).</summary>
public enum BtfFuncLinkage : byte
{
    /// <summary>A static function, visible in its object only.</summary>
    Static = 0,

    /// <summary>A global function, verified on its own by the kernel.</summary>
    Global = 1,

    /// <summary>A function defined elsewhere (an extern, such as a kfunc).</summary>
    Extern = 2,
}
