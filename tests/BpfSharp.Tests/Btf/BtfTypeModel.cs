using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

/// <summary>What <see cref="BtfRoundTripTests"/> expects of one generated type.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Name">The name.</param>
/// <param name="Ref">The referenced type (pointee, element, qualified type), or 0.</param>
/// <param name="Length">Array length.</param>
/// <param name="Size">Expected size, or null when the type has none.</param>
/// <param name="Members">Struct/union members as (name, type, bit offset).</param>
internal sealed record BtfTypeModel(BtfKind Kind, string Name, uint Ref, uint Length, uint? Size, (string, uint, uint)[] Members);
