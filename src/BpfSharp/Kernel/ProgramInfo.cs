using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Kernel;

/// <summary>The parts of struct bpf_prog_info BpfSharp uses.</summary>
/// <param name="Type">The program type.</param>
/// <param name="Id">The kernel's program id.</param>
/// <param name="Name">The program name.</param>
/// <param name="XlatedLength">Bytes of the translated (post-verifier) program.</param>
/// <param name="JitedLength">Bytes of JIT-compiled code.</param>
/// <param name="RunTimeNanoseconds">Total run time when BPF statistics are enabled.</param>
/// <param name="RunCount">Number of runs when BPF statistics are enabled.</param>
/// <param name="VerifiedInstructions">Instructions the verifier processed ("processed N insns").</param>
public sealed record ProgramInfo(Loader.ProgramType Type, uint Id, string Name, uint XlatedLength, uint JitedLength,
    ulong RunTimeNanoseconds, ulong RunCount, uint VerifiedInstructions)
{
    /// <summary>Bytes of struct bpf_prog_info requested (through verified_insns and the attach ids).</summary>
    public const int Size = 232;

    internal static ProgramInfo Read(ReadOnlySpan<byte> info)
    {
        var name = info.Slice(64, 16);
        int end = name.IndexOf((byte)0);
        return new ProgramInfo(
            (Loader.ProgramType)BinaryPrimitives.ReadUInt32LittleEndian(info),
            BinaryPrimitives.ReadUInt32LittleEndian(info[4..]),
            Encoding.ASCII.GetString(end >= 0 ? name[..end] : name),
            BinaryPrimitives.ReadUInt32LittleEndian(info[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(info[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(info[192..]),
            BinaryPrimitives.ReadUInt64LittleEndian(info[200..]),
            BinaryPrimitives.ReadUInt32LittleEndian(info[216..]));
    }
}
