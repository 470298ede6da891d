namespace BpfSharp.Kernel;

/// <summary>A bpf(2) call failed: the command, the errno and the kernel's text for it.</summary>
public sealed class KernelException : Exception
{
    /// <summary>Creates the exception for <paramref name="command"/> failing with <paramref name="errno"/>.</summary>
    public KernelException(BpfCommand command, int errno, string? detail = null)
        : base($"bpf({Name(command)}) failed: {Errno.Describe(errno)}{(detail is null ? "" : $": {detail}")}")
    {
        Command = command;
        ErrorNumber = errno;
    }

    /// <summary>The command that failed.</summary>
    public BpfCommand Command { get; }

    /// <summary>The errno.</summary>
    public int ErrorNumber { get; }

    // The UAPI names, for messages users can search for.
    private static readonly Dictionary<BpfCommand, string> Names = new()
    {
        [BpfCommand.MapCreate] = "BPF_MAP_CREATE",
        [BpfCommand.MapLookupElem] = "BPF_MAP_LOOKUP_ELEM",
        [BpfCommand.MapUpdateElem] = "BPF_MAP_UPDATE_ELEM",
        [BpfCommand.MapDeleteElem] = "BPF_MAP_DELETE_ELEM",
        [BpfCommand.MapGetNextKey] = "BPF_MAP_GET_NEXT_KEY",
        [BpfCommand.ProgLoad] = "BPF_PROG_LOAD",
        [BpfCommand.ObjGet] = "BPF_OBJ_GET",
        [BpfCommand.ProgTestRun] = "BPF_PROG_TEST_RUN",
        [BpfCommand.ObjGetInfoByFd] = "BPF_OBJ_GET_INFO_BY_FD",
        [BpfCommand.BtfLoad] = "BPF_BTF_LOAD",
        [BpfCommand.MapFreeze] = "BPF_MAP_FREEZE",
    };

    private static string Name(BpfCommand command) => Names.TryGetValue(command, out var name) ? name : command.ToString();
}
