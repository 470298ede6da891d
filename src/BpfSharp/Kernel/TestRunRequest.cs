namespace BpfSharp.Kernel;

/// <summary>Input of BPF_PROG_TEST_RUN.</summary>
public sealed class TestRunRequest
{
    /// <summary>The packet (data_in).</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The context (ctx_in); empty lets the kernel build a default one.</summary>
    public byte[] Context { get; init; } = [];

    /// <summary>How many times to run (the kernel reports the mean duration).</summary>
    public uint Repeat { get; init; } = 1;

    /// <summary>BPF_F_TEST_* flags.</summary>
    public uint Flags { get; init; }

    /// <summary>Extra room for the output packet beyond the input's size (XDP and tc can grow packets).</summary>
    public int DataOutSlack { get; init; } = 256;
}
