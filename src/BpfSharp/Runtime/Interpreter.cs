using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Isa;

namespace BpfSharp.Runtime;

/// <summary>
/// Runs programs instruction by instruction with RFC 9669 semantics (ISA v1-v4), every memory access checked
/// against the <see cref="AddressSpace"/>. Not thread-safe: use one interpreter per thread.
/// </summary>
/// <remarks>
/// Prepare a run by adding regions to <see cref="Memory"/> (ctx, packet, input); <see cref="Run"/> then starts the
/// program with r1-r5 as given and r10 at the top of a fresh 512-byte frame. Regions the run itself creates (map
/// values, ...) are removed when it ends; those added before stay until <see cref="AddressSpace.Clear"/>.
/// </remarks>
public sealed class Interpreter
{
    private readonly BpfExecution _execution;
    private bool _running;

    /// <summary>Creates an interpreter with <paramref name="options"/> (defaults when null) and <paramref name="helpers"/>
    /// (<see cref="HelperTable.CreateDefault"/> when null).</summary>
    public Interpreter(InterpreterOptions? options = null, HelperTable? helpers = null)
    {
        Options = options ?? new InterpreterOptions();
        Helpers = helpers ?? HelperTable.CreateDefault();
        Memory = new AddressSpace();
        _execution = new BpfExecution(this);
    }

    /// <summary>The limits and environment values.</summary>
    public InterpreterOptions Options { get; }

    /// <summary>The helpers programs may call.</summary>
    public HelperTable Helpers { get; }

    /// <summary>The address space programs run in.</summary>
    public AddressSpace Memory { get; }

    /// <summary>The state of the current (or last) run.</summary>
    public BpfExecution Execution => _execution;

    /// <summary>
    /// Runs <paramref name="program"/> from its first instruction and returns r0 of its final exit. A program error
    /// (bad access, invalid instruction, unknown helper, exhausted budget) is a <see cref="BpfRuntimeException"/>.
    /// </summary>
    public RunResult Run(RuntimeProgram program, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (_running) throw new InvalidOperationException("the interpreter is already running a program");
        _running = true;
        var x = _execution;
        x.Reset(program);
        int mark = Memory.Count;
        Memory.StackFrame(0).Clear();
        Span<ulong> regs = stackalloc ulong[16];
        regs[1] = r1; regs[2] = r2; regs[3] = r3; regs[4] = r4; regs[5] = r5;
        regs[10] = AddressSpace.StackTop(0);
        long start = Stopwatch.GetTimestamp();
        ulong r0;
        try
        {
            r0 = Execute(x, program, 0, regs, 0);
        }
        finally
        {
            Memory.Truncate(mark);
            _running = false;
        }
        long ns = (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        program.RunCount++;
        program.TotalNanoseconds += ns;
        return new RunResult(r0, Options.InstructionBudget - x.Remaining, ns, x.Trace.Count == 0 ? [] : x.Trace.ToArray());
    }

    /// <summary>Runs a function in a new frame until it returns (bpf_loop callbacks).</summary>
    internal ulong CallFunction(BpfExecution x, CodeAddress target, int pc, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (!ReferenceEquals(target.Program, x.Program))
            throw new BpfRuntimeException(pc, $"callback {target.InstructionIndex} belongs to program {target.Program.Name}, not to the running {x.Program.Name}");
        if (x.Depth + 1 >= AddressSpace.MaxFrames)
            throw new BpfRuntimeException(pc, $"call chain deeper than {AddressSpace.MaxFrames} frames");
        var caller = x.Program;
        x.Depth++;
        x.MayGotoCounters[x.Depth] = Options.MayGotoLimit;
        Memory.StackFrame(x.Depth).Clear();
        Span<ulong> regs = stackalloc ulong[16];
        regs[1] = r1; regs[2] = r2; regs[3] = r3; regs[4] = r4; regs[5] = r5;
        regs[10] = AddressSpace.StackTop(x.Depth);
        ulong r0 = Execute(x, target.Program, target.InstructionIndex, regs, x.Depth);
        x.Depth--;
        x.Program = caller;
        return r0;
    }

    // Fully optimized from the first call: a run is one call spinning in this loop, so tiered compilation would
    // leave it in its on-stack-replacement variant (slower) until 30 runs had been made.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong Execute(BpfExecution x, RuntimeProgram prog, int pc, Span<ulong> regs, int entryDepth)
    {
        // The register file is 16 slots and every index is masked with 15 (R), so no access can leave it even
        // without a per-access bounds check.
        if (regs.Length != 16) throw new ArgumentException("the register file has 16 slots", nameof(regs));
        ref ulong rf = ref MemoryMarshal.GetReference(regs);
        var mem = Memory;
        x.Program = prog;
        DecodedInstruction[] code = prog.Code;
        long[]? counts = prog.InstructionCounts;
        long remaining = x.Remaining;
        while (true)
        {
            if (--remaining < 0)
            {
                x.Remaining = 0;
                throw new BpfRuntimeException(pc, $"instruction budget of {Options.InstructionBudget} exhausted");
            }
            ref DecodedInstruction d = ref code[pc];
            if (counts is not null) counts[pc]++;
            switch (d.Opcode)
            {
                // ALU64, immediate (sign-extended) and register forms.
                case 0x07: R(ref rf, d.Dst) += (ulong)d.Imm; break;
                case 0x0f: R(ref rf, d.Dst) += R(ref rf, d.Src); break;
                case 0x17: R(ref rf, d.Dst) -= (ulong)d.Imm; break;
                case 0x1f: R(ref rf, d.Dst) -= R(ref rf, d.Src); break;
                case 0x27: R(ref rf, d.Dst) *= (ulong)d.Imm; break;
                case 0x2f: R(ref rf, d.Dst) *= R(ref rf, d.Src); break;
                case 0x37: R(ref rf, d.Dst) = Div64(R(ref rf, d.Dst), (ulong)d.Imm, d.Target != 0); break;
                case 0x3f: R(ref rf, d.Dst) = Div64(R(ref rf, d.Dst), R(ref rf, d.Src), d.Target != 0); break;
                case 0x47: R(ref rf, d.Dst) |= (ulong)d.Imm; break;
                case 0x4f: R(ref rf, d.Dst) |= R(ref rf, d.Src); break;
                case 0x57: R(ref rf, d.Dst) &= (ulong)d.Imm; break;
                case 0x5f: R(ref rf, d.Dst) &= R(ref rf, d.Src); break;
                case 0x67: R(ref rf, d.Dst) <<= (int)(d.Imm & 63); break;
                case 0x6f: R(ref rf, d.Dst) <<= (int)(R(ref rf, d.Src) & 63); break;
                case 0x77: R(ref rf, d.Dst) >>= (int)(d.Imm & 63); break;
                case 0x7f: R(ref rf, d.Dst) >>= (int)(R(ref rf, d.Src) & 63); break;
                case 0x87: R(ref rf, d.Dst) = 0 - R(ref rf, d.Dst); break;
                case 0x97: R(ref rf, d.Dst) = Mod64(R(ref rf, d.Dst), (ulong)d.Imm, d.Target != 0); break;
                case 0x9f: R(ref rf, d.Dst) = Mod64(R(ref rf, d.Dst), R(ref rf, d.Src), d.Target != 0); break;
                case 0xa7: R(ref rf, d.Dst) ^= (ulong)d.Imm; break;
                case 0xaf: R(ref rf, d.Dst) ^= R(ref rf, d.Src); break;
                case 0xb7: R(ref rf, d.Dst) = (ulong)d.Imm; break;
                case 0xbf: R(ref rf, d.Dst) = MoveSignExtend64(R(ref rf, d.Src), d.Target); break;
                case 0xc7: R(ref rf, d.Dst) = (ulong)((long)R(ref rf, d.Dst) >> (int)(d.Imm & 63)); break;
                case 0xcf: R(ref rf, d.Dst) = (ulong)((long)R(ref rf, d.Dst) >> (int)(R(ref rf, d.Src) & 63)); break;
                case 0xd7: R(ref rf, d.Dst) = ByteSwap(R(ref rf, d.Dst), (int)d.Imm); break;

                // ALU (32-bit): results zero-extend into the 64-bit register.
                case 0x04: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) + (uint)d.Imm; break;
                case 0x0c: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) + (uint)R(ref rf, d.Src); break;
                case 0x14: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) - (uint)d.Imm; break;
                case 0x1c: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) - (uint)R(ref rf, d.Src); break;
                case 0x24: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) * (uint)d.Imm; break;
                case 0x2c: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) * (uint)R(ref rf, d.Src); break;
                case 0x34: R(ref rf, d.Dst) = Div32((uint)R(ref rf, d.Dst), (uint)d.Imm, d.Target != 0); break;
                case 0x3c: R(ref rf, d.Dst) = Div32((uint)R(ref rf, d.Dst), (uint)R(ref rf, d.Src), d.Target != 0); break;
                case 0x44: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) | (uint)d.Imm; break;
                case 0x4c: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) | (uint)R(ref rf, d.Src); break;
                case 0x54: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) & (uint)d.Imm; break;
                case 0x5c: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) & (uint)R(ref rf, d.Src); break;
                case 0x64: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) << (int)(d.Imm & 31); break;
                case 0x6c: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) << (int)(R(ref rf, d.Src) & 31); break;
                case 0x74: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) >> (int)(d.Imm & 31); break;
                case 0x7c: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) >> (int)(R(ref rf, d.Src) & 31); break;
                case 0x84: R(ref rf, d.Dst) = 0u - (uint)R(ref rf, d.Dst); break;
                case 0x94: R(ref rf, d.Dst) = Mod32((uint)R(ref rf, d.Dst), (uint)d.Imm, d.Target != 0); break;
                case 0x9c: R(ref rf, d.Dst) = Mod32((uint)R(ref rf, d.Dst), (uint)R(ref rf, d.Src), d.Target != 0); break;
                case 0xa4: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) ^ (uint)d.Imm; break;
                case 0xac: R(ref rf, d.Dst) = (uint)R(ref rf, d.Dst) ^ (uint)R(ref rf, d.Src); break;
                case 0xb4: R(ref rf, d.Dst) = (uint)d.Imm; break;
                case 0xbc: R(ref rf, d.Dst) = MoveSignExtend32(R(ref rf, d.Src), d.Target); break;
                case 0xc4: R(ref rf, d.Dst) = (uint)((int)(uint)R(ref rf, d.Dst) >> (int)(d.Imm & 31)); break;
                case 0xcc: R(ref rf, d.Dst) = (uint)((int)(uint)R(ref rf, d.Dst) >> (int)(R(ref rf, d.Src) & 31)); break;
                case 0xd4: R(ref rf, d.Dst) = ToLittleEndian(R(ref rf, d.Dst), (int)d.Imm); break;
                case 0xdc: R(ref rf, d.Dst) = ByteSwap(R(ref rf, d.Dst), (int)d.Imm); break;

                // Loads and stores, every size; sign-extending loads.
                // One case per size so each calls a translation specialized for it (see AddressSpace.Load64).
                case 0x61: R(ref rf, d.Dst) = mem.Load32(R(ref rf, d.Src) + (ulong)(long)d.Target, pc); break;
                case 0x69: R(ref rf, d.Dst) = mem.Load16(R(ref rf, d.Src) + (ulong)(long)d.Target, pc); break;
                case 0x71: R(ref rf, d.Dst) = mem.Load8(R(ref rf, d.Src) + (ulong)(long)d.Target, pc); break;
                case 0x79: R(ref rf, d.Dst) = mem.Load64(R(ref rf, d.Src) + (ulong)(long)d.Target, pc); break;
                case 0x81: R(ref rf, d.Dst) = (ulong)(long)(int)mem.Load32(R(ref rf, d.Src) + (ulong)(long)d.Target, pc); break;
                case 0x89: R(ref rf, d.Dst) = (ulong)(long)(short)mem.Load16(R(ref rf, d.Src) + (ulong)(long)d.Target, pc); break;
                case 0x91: R(ref rf, d.Dst) = (ulong)(long)(sbyte)mem.Load8(R(ref rf, d.Src) + (ulong)(long)d.Target, pc); break;
                case 0x62: mem.Store32(R(ref rf, d.Dst) + (ulong)(long)d.Target, (ulong)d.Imm, pc); break;
                case 0x6a: mem.Store16(R(ref rf, d.Dst) + (ulong)(long)d.Target, (ulong)d.Imm, pc); break;
                case 0x72: mem.Store8(R(ref rf, d.Dst) + (ulong)(long)d.Target, (ulong)d.Imm, pc); break;
                case 0x7a: mem.Store64(R(ref rf, d.Dst) + (ulong)(long)d.Target, (ulong)d.Imm, pc); break;
                case 0x63: mem.Store32(R(ref rf, d.Dst) + (ulong)(long)d.Target, R(ref rf, d.Src), pc); break;
                case 0x6b: mem.Store16(R(ref rf, d.Dst) + (ulong)(long)d.Target, R(ref rf, d.Src), pc); break;
                case 0x73: mem.Store8(R(ref rf, d.Dst) + (ulong)(long)d.Target, R(ref rf, d.Src), pc); break;
                case 0x7b: mem.Store64(R(ref rf, d.Dst) + (ulong)(long)d.Target, R(ref rf, d.Src), pc); break;
                case 0xc3: case 0xcb: case 0xd3: case 0xdb:
                    Atomic(mem, ref d, regs, pc); break;

                case 0x18:
                    R(ref rf, d.Dst) = LoadImm64(x, prog, ref d, pc);
                    pc += 2;
                    continue;
                case 0x20: case 0x28: case 0x30: case 0x40: case 0x48: case 0x50:
                    if (!LegacyPacketLoad(mem, ref d, regs, pc))
                    {
                        // Out of the packet: the kernel ends the program with r0 = 0.
                        x.Remaining = remaining;
                        x.Depth = entryDepth;
                        return 0;
                    }
                    break;

                // Jumps.
                case 0x05: case 0x06: pc = d.Target; continue;
                    case 0x15: if (R(ref rf, d.Dst) == (ulong)d.Imm) { pc = d.Target; continue; } break; // jeq K
                    case 0x1d: if (R(ref rf, d.Dst) == R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jeq X
                    case 0x25: if (R(ref rf, d.Dst) > (ulong)d.Imm) { pc = d.Target; continue; } break; // jgt K
                    case 0x2d: if (R(ref rf, d.Dst) > R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jgt X
                    case 0x35: if (R(ref rf, d.Dst) >= (ulong)d.Imm) { pc = d.Target; continue; } break; // jge K
                    case 0x3d: if (R(ref rf, d.Dst) >= R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jge X
                    case 0x45: if ((R(ref rf, d.Dst) & (ulong)d.Imm) != 0) { pc = d.Target; continue; } break; // jset K
                    case 0x4d: if ((R(ref rf, d.Dst) & R(ref rf, d.Src)) != 0) { pc = d.Target; continue; } break; // jset X
                    case 0x55: if (R(ref rf, d.Dst) != (ulong)d.Imm) { pc = d.Target; continue; } break; // jne K
                    case 0x5d: if (R(ref rf, d.Dst) != R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jne X
                    case 0x65: if ((long)R(ref rf, d.Dst) > (long)(ulong)d.Imm) { pc = d.Target; continue; } break; // jsgt K
                    case 0x6d: if ((long)R(ref rf, d.Dst) > (long)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jsgt X
                    case 0x75: if ((long)R(ref rf, d.Dst) >= (long)(ulong)d.Imm) { pc = d.Target; continue; } break; // jsge K
                    case 0x7d: if ((long)R(ref rf, d.Dst) >= (long)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jsge X
                    case 0xa5: if (R(ref rf, d.Dst) < (ulong)d.Imm) { pc = d.Target; continue; } break; // jlt K
                    case 0xad: if (R(ref rf, d.Dst) < R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jlt X
                    case 0xb5: if (R(ref rf, d.Dst) <= (ulong)d.Imm) { pc = d.Target; continue; } break; // jle K
                    case 0xbd: if (R(ref rf, d.Dst) <= R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jle X
                    case 0xc5: if ((long)R(ref rf, d.Dst) < (long)(ulong)d.Imm) { pc = d.Target; continue; } break; // jslt K
                    case 0xcd: if ((long)R(ref rf, d.Dst) < (long)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jslt X
                    case 0xd5: if ((long)R(ref rf, d.Dst) <= (long)(ulong)d.Imm) { pc = d.Target; continue; } break; // jsle K
                    case 0xdd: if ((long)R(ref rf, d.Dst) <= (long)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jsle X
                    case 0x16: if ((uint)R(ref rf, d.Dst) == (uint)d.Imm) { pc = d.Target; continue; } break; // jeq32 K
                    case 0x1e: if ((uint)R(ref rf, d.Dst) == (uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jeq32 X
                    case 0x26: if ((uint)R(ref rf, d.Dst) > (uint)d.Imm) { pc = d.Target; continue; } break; // jgt32 K
                    case 0x2e: if ((uint)R(ref rf, d.Dst) > (uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jgt32 X
                    case 0x36: if ((uint)R(ref rf, d.Dst) >= (uint)d.Imm) { pc = d.Target; continue; } break; // jge32 K
                    case 0x3e: if ((uint)R(ref rf, d.Dst) >= (uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jge32 X
                    case 0x46: if (((uint)R(ref rf, d.Dst) & (uint)d.Imm) != 0) { pc = d.Target; continue; } break; // jset32 K
                    case 0x4e: if (((uint)R(ref rf, d.Dst) & (uint)R(ref rf, d.Src)) != 0) { pc = d.Target; continue; } break; // jset32 X
                    case 0x56: if ((uint)R(ref rf, d.Dst) != (uint)d.Imm) { pc = d.Target; continue; } break; // jne32 K
                    case 0x5e: if ((uint)R(ref rf, d.Dst) != (uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jne32 X
                    case 0x66: if ((int)(uint)R(ref rf, d.Dst) > (int)(uint)d.Imm) { pc = d.Target; continue; } break; // jsgt32 K
                    case 0x6e: if ((int)(uint)R(ref rf, d.Dst) > (int)(uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jsgt32 X
                    case 0x76: if ((int)(uint)R(ref rf, d.Dst) >= (int)(uint)d.Imm) { pc = d.Target; continue; } break; // jsge32 K
                    case 0x7e: if ((int)(uint)R(ref rf, d.Dst) >= (int)(uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jsge32 X
                    case 0xa6: if ((uint)R(ref rf, d.Dst) < (uint)d.Imm) { pc = d.Target; continue; } break; // jlt32 K
                    case 0xae: if ((uint)R(ref rf, d.Dst) < (uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jlt32 X
                    case 0xb6: if ((uint)R(ref rf, d.Dst) <= (uint)d.Imm) { pc = d.Target; continue; } break; // jle32 K
                    case 0xbe: if ((uint)R(ref rf, d.Dst) <= (uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jle32 X
                    case 0xc6: if ((int)(uint)R(ref rf, d.Dst) < (int)(uint)d.Imm) { pc = d.Target; continue; } break; // jslt32 K
                    case 0xce: if ((int)(uint)R(ref rf, d.Dst) < (int)(uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jslt32 X
                    case 0xd6: if ((int)(uint)R(ref rf, d.Dst) <= (int)(uint)d.Imm) { pc = d.Target; continue; } break; // jsle32 K
                    case 0xde: if ((int)(uint)R(ref rf, d.Dst) <= (int)(uint)R(ref rf, d.Src)) { pc = d.Target; continue; } break; // jsle32 X
                case 0xe5:
                {
                    // may_goto: a per-frame countdown; the jump is taken once it is exhausted.
                    ref int left = ref x.MayGotoCounters[x.Depth];
                    if (left == 0) { pc = d.Target; continue; }
                    left--;
                    break;
                }

                // Calls and exit.
                case 0x85:
                    if (d.Src == PseudoSource.LocalCall)
                    {
                        PushFrame(x, prog, pc, regs);
                        pc = d.Target;
                        continue;
                    }
                    if (d.Src == PseudoSource.KfuncCall)
                        throw new BpfRuntimeException(pc, $"kfunc calls (BTF id {d.Imm}) are not supported by the userspace runtime");
                    x.Remaining = remaining;
                    regs[0] = CallHelper(x, d.Imm, regs, pc);
                    remaining = x.Remaining;
                    if (x.PendingTailCall is not null) goto tailCall;
                    break;
                case 0x8d:
                {
                    ulong target = R(ref rf, d.Dst);
                    if (mem.TargetAt<CodeAddress>(target) is { } function)
                    {
                        if (!ReferenceEquals(function.Program, prog))
                            throw new BpfRuntimeException(pc, $"callx to a function of program {function.Program.Name}");
                        PushFrame(x, prog, pc, regs);
                        pc = function.InstructionIndex;
                        continue;
                    }
                    // Not a function address: the conformance suite's convention, a helper id.
                    if (target > int.MaxValue)
                        throw new BpfRuntimeException(pc, $"callx target {AddressSpace.Hex(target)} is neither a function address nor a helper id");
                    x.Remaining = remaining;
                    regs[0] = CallHelper(x, (long)target, regs, pc);
                    remaining = x.Remaining;
                    if (x.PendingTailCall is not null) goto tailCall;
                    break;
                }
                case 0x95:
                    if (x.Depth == entryDepth)
                    {
                        x.Remaining = remaining;
                        return regs[0];
                    }
                    {
                        ref CallFrame f = ref x.Frames[x.Depth];
                        regs[6] = f.R6; regs[7] = f.R7; regs[8] = f.R8; regs[9] = f.R9;
                        pc = f.ReturnIndex;
                        if (!ReferenceEquals(prog, f.Program))
                        {
                            prog = f.Program;
                            code = prog.Code;
                            counts = prog.InstructionCounts;
                            x.Program = prog;
                        }
                        f.Program = null!;
                        x.Depth--;
                        regs[10] = AddressSpace.StackTop(x.Depth);
                    }
                    continue;

                default:
                    throw new BpfRuntimeException(pc, prog.Errors[pc] ?? $"invalid opcode 0x{d.Opcode:x2}");
            }
            pc++;
            continue;

        tailCall:
            // The helper accepted a tail call: the new program replaces the current one in this frame, with r1
            // (the context) kept and a fresh stack.
            prog = x.PendingTailCall!;
            x.PendingTailCall = null;
            x.Program = prog;
            code = prog.Code;
            counts = prog.InstructionCounts;
            mem.StackFrame(x.Depth).Clear();
            pc = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref ulong R(ref ulong registers, byte index) => ref Unsafe.Add(ref registers, index & 15);

    private void PushFrame(BpfExecution x, RuntimeProgram prog, int pc, Span<ulong> regs)
    {
        if (x.Depth + 1 >= AddressSpace.MaxFrames)
            throw new BpfRuntimeException(pc, $"call chain deeper than {AddressSpace.MaxFrames} frames");
        x.Depth++;
        ref CallFrame f = ref x.Frames[x.Depth];
        f.Program = prog;
        f.ReturnIndex = pc + 1;
        f.R6 = regs[6]; f.R7 = regs[7]; f.R8 = regs[8]; f.R9 = regs[9];
        x.MayGotoCounters[x.Depth] = Options.MayGotoLimit;
        Memory.StackFrame(x.Depth).Clear();
        regs[10] = AddressSpace.StackTop(x.Depth);
    }

    private ulong CallHelper(BpfExecution x, long id, Span<ulong> regs, int pc)
    {
        var helper = Helpers.Find(id)
            ?? throw new BpfRuntimeException(pc, id > 0 && HelperFunctions.NameOf((int)Math.Min(id, int.MaxValue)) is { } name
                ? $"unknown helper {id} ({name} is not implemented by the userspace runtime)"
                : $"unknown helper {id}");
        var args = new HelperArguments(regs[1], regs[2], regs[3], regs[4], regs[5], pc);
        try
        {
            return helper.Implementation(x, in args);
        }
        catch (BpfRuntimeException)
        {
            throw;
        }
        catch (Exception e)
        {
            // A helper's own failure must not escape as anything but a runtime error of the program.
            throw new BpfRuntimeException(pc, $"helper {helper.Name} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private ulong LoadImm64(BpfExecution x, RuntimeProgram prog, ref DecodedInstruction d, int pc)
    {
        switch (d.Src)
        {
            case PseudoSource.None:
                return (ulong)d.Imm;
            case PseudoSource.MapFd or PseudoSource.MapIdx:
            {
                var map = MapOf(prog, d.Imm, pc);
                return Memory.MapObject(map, map.HandleName);
            }
            case PseudoSource.MapValue or PseudoSource.MapIdxValue:
            {
                var map = MapOf(prog, d.Imm, pc);
                if (map.KeySize > 512) throw new BpfRuntimeException(pc, $"map {map.Name} has {map.KeySize}-byte keys: no direct value access");
                Span<byte> key = stackalloc byte[(int)map.KeySize];
                key.Clear();
                if (!map.TryLookup(key, Options.Cpu, out var value))
                    throw new BpfRuntimeException(pc, $"map {map.Name} has no value at key 0 for direct value access");
                ulong address = Memory.Map(value, MemoryRegionKind.MapValue, map.ValueRegionName, (map.Flags & 0x80) == 0);
                return address + (uint)d.Target;
            }
            case PseudoSource.Func:
                return Memory.MapObject(prog.CodeAddressAt(d.Target), $"function at {d.Target}");
            default:
                throw new BpfRuntimeException(pc, "ld_imm64 of a kernel BTF id (src 3) is not supported by the userspace runtime");
        }
    }

    private static Maps.BpfMap MapOf(RuntimeProgram prog, long index, int pc) =>
        prog.MapAt(index) ?? throw new BpfRuntimeException(pc, index < prog.Maps.Count
            ? $"map {index} of {prog.Name} has no runtime map"
            : $"map index {index} is out of range ({prog.Name} has {prog.Maps.Count} maps)");

    private static bool LegacyPacketLoad(AddressSpace mem, ref DecodedInstruction d, Span<ulong> regs, int pc)
    {
        int packet = mem.PacketRegion;
        if (packet < 0) throw new BpfRuntimeException(pc, "LD_ABS/LD_IND need a packet region and none was given");
        long offset = (int)d.Imm;
        if ((d.Opcode & 0xe0) == 0x40) offset = (int)((uint)regs[d.Src] + (uint)d.Imm);
        var region = mem[packet];
        if (offset < 0 || offset + d.Size > region.Length) return false;
        var bytes = region.Array.AsSpan(region.Offset + (int)offset, d.Size);
        regs[0] = d.Size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        };
        return true;
    }

    private static void Atomic(AddressSpace mem, ref DecodedInstruction d, Span<ulong> regs, int pc)
    {
        ulong address = regs[d.Dst] + (ulong)(long)d.Target;
        int size = d.Size;
        int op = (int)d.Imm;
        if (op == AtomicOperation.LoadAcquire)
        {
            regs[d.Dst] = mem.Load(regs[d.Src] + (ulong)(long)d.Target, size, pc);
            return;
        }
        if (op == AtomicOperation.StoreRelease)
        {
            mem.Store(address, size, regs[d.Src], pc);
            return;
        }
        // Read-modify-write: translate once for writing (checks the region is writable), then act on the bytes.
        mem.Translate(address, size, true, pc);
        ulong old = mem.Load(address, size, pc);
        ulong operand = size == 4 ? (uint)regs[d.Src] : regs[d.Src];
        ulong result;
        switch (op & ~AtomicOperation.Fetch)
        {
            case AtomicOperation.Add: result = old + operand; break;
            case AtomicOperation.Or: result = old | operand; break;
            case AtomicOperation.And: result = old & operand; break;
            case AtomicOperation.Xor: result = old ^ operand; break;
            case AtomicOperation.Xchg & ~AtomicOperation.Fetch: result = operand; break;
            default: // cmpxchg: compare with r0, r0 gets the old value
            {
                ulong expected = size == 4 ? (uint)regs[0] : regs[0];
                if (old == expected) mem.Store(address, size, operand, pc);
                regs[0] = old;
                return;
            }
        }
        mem.Store(address, size, result, pc);
        if ((op & AtomicOperation.Fetch) != 0) regs[d.Src] = old;
    }

    private static ulong Div64(ulong a, ulong b, bool signed)
    {
        if (b == 0) return 0;
        if (!signed) return a / b;
        // INT_MIN / -1 overflows in C#; RFC 9669 gives INT_MIN (two's complement wrap).
        if ((long)b == -1) return 0 - a;
        return (ulong)((long)a / (long)b);
    }

    private static ulong Mod64(ulong a, ulong b, bool signed)
    {
        if (b == 0) return a;
        if (!signed) return a % b;
        if ((long)b == -1) return 0;
        return (ulong)((long)a % (long)b);
    }

    private static uint Div32(uint a, uint b, bool signed)
    {
        if (b == 0) return 0;
        if (!signed) return a / b;
        if ((int)b == -1) return 0u - a;
        return (uint)((int)a / (int)b);
    }

    private static uint Mod32(uint a, uint b, bool signed)
    {
        if (b == 0) return a;
        if (!signed) return a % b;
        if ((int)b == -1) return 0;
        return (uint)((int)a % (int)b);
    }

    private static ulong MoveSignExtend64(ulong src, int bits) => bits switch
    {
        8 => (ulong)(long)(sbyte)src,
        16 => (ulong)(long)(short)src,
        32 => (ulong)(long)(int)src,
        _ => src,
    };

    private static ulong MoveSignExtend32(ulong src, int bits) => bits switch
    {
        8 => (uint)(int)(sbyte)src,
        16 => (uint)(int)(short)src,
        _ => (uint)src,
    };

    private static ulong ByteSwap(ulong value, int bits) => bits switch
    {
        16 => BinaryPrimitives.ReverseEndianness((ushort)value),
        32 => BinaryPrimitives.ReverseEndianness((uint)value),
        _ => BinaryPrimitives.ReverseEndianness(value),
    };

    // to-le on a little-endian machine only truncates; on a big-endian one it swaps.
    private static ulong ToLittleEndian(ulong value, int bits) => BitConverter.IsLittleEndian
        ? bits switch { 16 => (ushort)value, 32 => (uint)value, _ => value }
        : ByteSwap(value, bits);
}
