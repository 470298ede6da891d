using System.Buffers.Binary;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// struct bpf_stack_build_id: a stack frame as a build ID and file offset, or the raw IP when it could not be
/// resolved. 32 bytes in a map value: s32 status, u8 build_id[20], u64 offset-or-ip (at 24).
/// </summary>
/// <param name="Status">What the entry holds.</param>
/// <param name="BuildId">The 20-byte build ID (zero-padded when shorter; zeroes unless <see cref="StackBuildIdStatus.Valid"/>).</param>
/// <param name="OffsetOrIp">The file offset when valid, else the instruction pointer.</param>
public readonly record struct StackBuildId(StackBuildIdStatus Status, ReadOnlyMemory<byte> BuildId, ulong OffsetOrIp)
{
    /// <summary>sizeof(struct bpf_stack_build_id).</summary>
    public const int Size = 32;
    /// <summary>BUILD_ID_SIZE_MAX.</summary>
    public const int BuildIdSize = 20;

    /// <summary>An unresolved frame.</summary>
    public static StackBuildId FromIp(ulong ip) => new(StackBuildIdStatus.Ip, new byte[BuildIdSize], ip);

    /// <summary>Writes the 32-byte layout.</summary>
    public void WriteTo(Span<byte> target)
    {
        target[..Size].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(target, (int)Status);
        BuildId.Span[..Math.Min(BuildId.Length, BuildIdSize)].CopyTo(target[4..]);
        BinaryPrimitives.WriteUInt64LittleEndian(target[24..], OffsetOrIp);
    }

    /// <summary>Whether two entries have the same bytes (what the kernel compares).</summary>
    public bool SameAs(StackBuildId other) =>
        Status == other.Status && OffsetOrIp == other.OffsetOrIp && BuildId.Span.SequenceEqual(other.BuildId.Span);
}
