namespace BpfSharp.Runtime;

/// <summary>Limits of a run and the values the environment helpers report.</summary>
public sealed class InterpreterOptions
{
    /// <summary>Instructions one run may execute (callbacks and tail calls included) before it is stopped.</summary>
    public long InstructionBudget { get; init; } = 100_000_000;

    /// <summary>Iterations a frame's may_goto allows before it jumps (the kernel's BPF_MAX_LOOPS, 8M).</summary>
    public int MayGotoLimit { get; init; } = 8 * 1024 * 1024;

    /// <summary>Tail calls one run may make (the kernel's MAX_TAIL_CALL_CNT, 33); the next one falls through.</summary>
    public int MaxTailCalls { get; init; } = 33;

    /// <summary>Seed of bpf_get_prandom_u32 (the sequence restarts with each run).</summary>
    public ulong RandomSeed { get; init; } = 0x5eed_b9f5_4a2c_1d37;

    /// <summary>What bpf_get_smp_processor_id returns, and the CPU map lookups use.</summary>
    public int Cpu { get; init; }

    /// <summary>bpf_get_current_pid_tgid: tgid in the high 32 bits, pid in the low.</summary>
    public ulong PidTgid { get; init; } = ((ulong)(uint)Environment.ProcessId << 32) | (uint)Environment.ProcessId;

    /// <summary>bpf_get_current_uid_gid: gid in the high 32 bits, uid in the low.</summary>
    public ulong UidGid { get; init; }

    /// <summary>bpf_get_current_comm (the kernel's task comm is at most 15 characters plus NUL).</summary>
    public string Comm { get; init; } = "bpfsharp";

    /// <summary>bpf_ktime_get_ns: a monotonic clock in nanoseconds; null uses the system's.</summary>
    public Func<ulong>? MonotonicClock { get; init; }

    /// <summary>bpf_ktime_get_boot_ns: like <see cref="MonotonicClock"/> but counting suspend; null uses the system's.</summary>
    public Func<ulong>? BootClock { get; init; }
}
