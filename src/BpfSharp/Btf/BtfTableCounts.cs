namespace BpfSharp.Btf;

/// <summary>How many types and side records a .BTF type section holds, from the reader's counting pass.</summary>
internal struct BtfTableCounts
{
    /// <summary>Type ids, including void.</summary>
    public int Types;

    /// <summary>Struct and union members.</summary>
    public int Members;

    /// <summary>Function prototype parameters.</summary>
    public int Params;

    /// <summary>Enum and enum64 values.</summary>
    public int EnumValues;

    /// <summary>Datasec entries.</summary>
    public int DatasecVars;

    /// <summary>Arrays.</summary>
    public int Arrays;
}
