namespace BpfSharp.Btf;

/// <summary>The linkage of a BTF variable.</summary>
public enum BtfVarLinkage : byte
{
    /// <summary>A static variable.</summary>
    Static = 0,

    /// <summary>A global variable with storage in this object.</summary>
    GlobalAllocated = 1,

    /// <summary>An extern variable, resolved at load time (such as a __ksym or __kconfig).</summary>
    GlobalExtern = 2,
}
