using System.Runtime.InteropServices;
using System.Text;

namespace BpfSharp.Kernel;

/// <summary>BPF_PROG_LOAD, BPF_PROG_TEST_RUN and BPF_OBJ_GET_INFO_BY_FD for programs.</summary>
public static unsafe class KernelProgram
{
    /// <summary>
    /// Loads a program. The log buffer is grown on ENOSPC (to the size the kernel reports it needed, or four
    /// times larger) up to 1 GiB, so a long log never turns into a false failure.
    /// </summary>
    public static ProgramLoadResult Load(ProgramLoadRequest request)
    {
        int logSize = request.LogLevel == 0 ? 0 : Math.Clamp(request.LogSize, 4096, ProgramLoadRequest.MaxLogSize);
        while (true)
        {
            var (fd, errno, log, trueSize) = LoadOnce(request, logSize);
            bool truncated = errno == Errno.ENOSPC && request.LogLevel != 0 && logSize < ProgramLoadRequest.MaxLogSize;
            if (!truncated)
                return new ProgramLoadResult(fd >= 0 ? new BpfFileDescriptor((int)fd) : null, fd >= 0 ? 0 : errno, log);
            logSize = (int)Math.Min(ProgramLoadRequest.MaxLogSize, trueSize > (uint)logSize ? trueSize + 1 : (long)logSize * 4);
        }
    }

    private static (long Fd, int Errno, string Log, uint TrueSize) LoadOnce(ProgramLoadRequest r, int logSize)
    {
        var insns = r.Instructions;
        byte[] license = Encoding.ASCII.GetBytes(r.License + "\0");
        byte[] log = logSize > 0 ? GC.AllocateUninitializedArray<byte>(logSize) : [];
        if (log.Length > 0) log[0] = 0;
        var funcInfo = new uint[r.FuncInfos.Count * 2];
        for (int i = 0; i < r.FuncInfos.Count; i++) (funcInfo[2 * i], funcInfo[2 * i + 1]) = ((uint)r.FuncInfos[i].Index, r.FuncInfos[i].TypeId);
        var lineInfo = new uint[r.LineInfos.Count * 4];
        for (int i = 0; i < r.LineInfos.Count; i++)
        {
            var l = r.LineInfos[i];
            (lineInfo[4 * i], lineInfo[4 * i + 1], lineInfo[4 * i + 2], lineInfo[4 * i + 3]) = ((uint)l.Index, l.FileNameOffset, l.LineOffset, l.LineColumn);
        }
        // The kernel's CO-RE records count instruction offsets in bytes.
        var core = new uint[r.CoreRelocations.Count * 4];
        for (int i = 0; i < r.CoreRelocations.Count; i++)
        {
            var c = r.CoreRelocations[i];
            (core[4 * i], core[4 * i + 1], core[4 * i + 2], core[4 * i + 3]) = ((uint)c.Index * 8, c.TypeId, c.AccessStringOffset, c.Kind);
        }

        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        fixed (Isa.Instruction* pInsns = insns)
        fixed (byte* pLicense = license)
        fixed (byte* pLog = log)
        fixed (uint* pFunc = funcInfo)
        fixed (uint* pLine = lineInfo)
        fixed (uint* pCore = core)
        {
            attr.U32(0, (uint)r.Type);
            attr.U32(4, (uint)insns.Length);
            attr.Pointer(8, pInsns);
            attr.Pointer(16, pLicense);
            if (logSize > 0)
            {
                attr.U32(24, r.LogLevel);
                attr.U32(28, (uint)logSize);
                attr.Pointer(32, pLog);
            }
            attr.U32(40, r.KernelVersion);
            attr.U32(44, r.Flags);
            attr.Name(48, ObjectNames.Sanitize(r.Name));
            if (r.ExpectedAttachType is { } attach) attr.U32(68, (uint)attach);
            if (r.Btf is not null)
            {
                attr.U32(72, (uint)r.Btf.Value);
                if (funcInfo.Length > 0)
                {
                    attr.U32(76, 8);
                    attr.Pointer(80, pFunc);
                    attr.U32(88, (uint)r.FuncInfos.Count);
                }
                if (lineInfo.Length > 0)
                {
                    attr.U32(92, 16);
                    attr.Pointer(96, pLine);
                    attr.U32(104, (uint)r.LineInfos.Count);
                }
                if (core.Length > 0)
                {
                    attr.U32(116, (uint)r.CoreRelocations.Count);
                    attr.Pointer(128, pCore);
                    attr.U32(136, 16);
                }
            }
            attr.U32(108, r.AttachBtfId);
            long fd = NativeMethods.Bpf(BpfCommand.ProgLoad, attr.Bytes, out int errno);
            uint trueSize = attr.ReadU32(140);
            int nul = Array.IndexOf(log, (byte)0);
            int length = nul < 0 ? log.Length : nul;
            return (fd, errno, Encoding.UTF8.GetString(log, 0, length), trueSize);
        }
    }

    /// <summary>Runs a loaded program once or more (BPF_PROG_TEST_RUN).</summary>
    /// <exception cref="KernelException">The kernel refused the run.</exception>
    public static TestRunResult TestRun(BpfFileDescriptor program, TestRunRequest request)
    {
        byte[] dataOut = new byte[request.Data.Length > 0 ? request.Data.Length + request.DataOutSlack : 0];
        byte[] ctxOut = new byte[request.Context.Length];
        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        fixed (byte* dataIn = request.Data)
        fixed (byte* pDataOut = dataOut)
        fixed (byte* ctxIn = request.Context)
        fixed (byte* pCtxOut = ctxOut)
        {
            attr.U32(0, (uint)program.Value);
            attr.U32(8, (uint)request.Data.Length);
            attr.U32(12, (uint)dataOut.Length);
            if (request.Data.Length > 0) attr.Pointer(16, dataIn);
            if (dataOut.Length > 0) attr.Pointer(24, pDataOut);
            attr.U32(32, request.Repeat);
            attr.U32(40, (uint)request.Context.Length);
            attr.U32(44, (uint)ctxOut.Length);
            if (request.Context.Length > 0)
            {
                attr.Pointer(48, ctxIn);
                attr.Pointer(56, pCtxOut);
            }
            attr.U32(64, request.Flags);
            if (NativeMethods.Bpf(BpfCommand.ProgTestRun, attr.Bytes[..80], out int errno) < 0)
                throw new KernelException(BpfCommand.ProgTestRun, errno);
            uint dataSizeOut = attr.ReadU32(12);
            uint ctxSizeOut = attr.ReadU32(44);
            return new TestRunResult(
                attr.ReadU32(4),
                dataOut.AsSpan(0, (int)Math.Min(dataSizeOut, (uint)dataOut.Length)).ToArray(),
                ctxOut.AsSpan(0, (int)Math.Min(ctxSizeOut, (uint)ctxOut.Length)).ToArray(),
                attr.ReadU32(36));
        }
    }

    /// <summary>Opens an object pinned in bpffs (BPF_OBJ_GET), e.g. a program bpftool loaded.</summary>
    /// <exception cref="KernelException">Nothing is pinned there, or it cannot be opened.</exception>
    public static BpfFileDescriptor OpenPinned(string path)
    {
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        fixed (byte* pName = name)
        {
            attr.Pointer(0, pName);
            long fd = NativeMethods.Bpf(BpfCommand.ObjGet, attr.Bytes[..16], out int errno);
            if (fd < 0) throw new KernelException(BpfCommand.ObjGet, errno, path);
            return new BpfFileDescriptor((int)fd);
        }
    }

    /// <summary>The kernel's information about a loaded program (BPF_OBJ_GET_INFO_BY_FD).</summary>
    public static ProgramInfo Info(BpfFileDescriptor program)
    {
        Span<byte> info = stackalloc byte[ProgramInfo.Size];
        info.Clear();
        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        fixed (byte* pInfo = info)
        {
            attr.U32(0, (uint)program.Value);
            attr.U32(4, (uint)info.Length);
            attr.Pointer(8, pInfo);
            if (NativeMethods.Bpf(BpfCommand.ObjGetInfoByFd, attr.Bytes[..16], out int errno) < 0)
                throw new KernelException(BpfCommand.ObjGetInfoByFd, errno);
        }
        return ProgramInfo.Read(info);
    }
}
