using BpfSharp.Isa;
using BpfSharp.Runtime;
using static BpfSharp.Tests.Runtime.RuntimeTestSupport;

namespace BpfSharp.Tests.Runtime;

/// <summary>bpf-to-bpf calls and frames, callx, tail calls, may_goto, bpf_loop, the instruction budget, profiling.</summary>
public class InterpreterControlFlowTests
{
    [Fact]
    public void A_call_gets_its_own_stack_frame_and_preserves_r6_to_r9()
    {
        ulong r0 = Run("""
            r6 = 6
            *(u64 *)(r10 -8) = r6
            r1 = 10
            call f
            r1 = *(u64 *)(r10 -8)
            r0 += r1
            r0 += r6
            exit
            f:
            *(u64 *)(r10 -8) = r1
            r6 = 100
            r0 = *(u64 *)(r10 -8)
            exit
            """);
        Assert.Equal(22UL, r0);
    }

    [Fact]
    public void A_callee_can_write_its_callers_stack_through_a_pointer()
    {
        Assert.Equal(7UL, Run("r1 = r10\nr1 += -8\ncall f\nr0 = *(u64 *)(r10 -8)\nexit\nf:\nr2 = 7\n*(u64 *)(r1 +0) = r2\nexit"));
    }

    [Fact]
    public void The_call_chain_stops_at_eight_frames()
    {
        // Each function calls the next: main + 7 calls fit, the 8th call is one frame too many.
        string Chain(int calls) => "call f1\nexit\n" + string.Concat(Enumerable.Range(1, calls).Select(i => i < calls ? $"f{i}:\ncall f{i + 1}\nexit\n" : $"f{i}:\nr0 = 1\nexit\n"));
        Assert.Equal(1UL, Run(Chain(7)));
        var e = Fails(Chain(8));
        Assert.Contains("call chain deeper than 8 frames", e.Message);
    }

    [Fact]
    public void Callx_calls_a_function_address_or_a_helper_id()
    {
        Assert.Equal(42UL, Run("r2 = func[f] ll\ncallx r2\nexit\nf:\nr0 = 42\nexit"));
        var options = new InterpreterOptions { Cpu = 3 };
        Assert.Equal(3UL, Run("r2 = 8\ncallx r2\nexit", options));
    }

    [Fact]
    public void A_function_address_compares_equal_to_itself()
    {
        Assert.Equal(1UL, Run("r1 = func[f] ll\nr2 = func[f] ll\nr0 = 0\nif r1 != r2 goto +1\nr0 = 1\nexit\nf:\nexit"));
    }

    [Fact]
    public void Tail_call_runs_the_target_program_and_a_missing_entry_falls_through()
    {
        var table = new TestProgArray(4);
        table.Programs[1] = Program("r0 = 77\nexit");
        var caller = Program("r2 = map[jmp_table] ll\nr3 = 1\ncall bpf_tail_call\nr0 = 1\nexit", table);
        Assert.Equal(77UL, new Interpreter().Run(caller).ReturnValue);
        var missing = Program("r2 = map[jmp_table] ll\nr3 = 2\ncall bpf_tail_call\nr0 = 1\nexit", table);
        Assert.Equal(1UL, new Interpreter().Run(missing).ReturnValue);
        var outOfRange = Program("r2 = map[jmp_table] ll\nr3 = 9\ncall bpf_tail_call\nr0 = 1\nexit", table);
        Assert.Equal(1UL, new Interpreter().Run(outOfRange).ReturnValue);
    }

    [Fact]
    public void Tail_calls_stop_after_33_like_the_kernel()
    {
        // A program that counts its runs in r... the ctx is lost on tail calls, so count on a map value instead:
        // each run adds 1 to value[0] and tail-calls itself; the 34th tail call falls through and returns.
        var counter = new TestArrayMap("counter", 8, 1);
        var table = new TestProgArray(1);
        var self = Program("""
            r2 = map_value[counter]+0 ll
            r3 = *(u64 *)(r2 +0)
            r3 += 1
            *(u64 *)(r2 +0) = r3
            r2 = map[jmp_table] ll
            r3 = 0
            call bpf_tail_call
            r0 = 5
            exit
            """, counter, table);
        table.Programs[0] = self;
        Assert.Equal(5UL, new Interpreter().Run(self).ReturnValue);
        Assert.Equal(34UL, BitConverter.ToUInt64(counter.Value(0)));
    }

    [Fact]
    public void May_goto_jumps_once_the_frames_budget_is_exhausted()
    {
        // Counts loop iterations until may_goto gives up: exactly the limit.
        var options = new InterpreterOptions { MayGotoLimit = 1000 };
        Assert.Equal(1000UL, Run("r0 = 0\nloop:\nmay_goto +2\nr0 += 1\ngoto loop\nexit", options));
    }

    [Fact]
    public void Bpf_loop_calls_the_callback_until_it_returns_1()
    {
        string program = """
            r1 = 10
            r2 = func[cb] ll
            r3 = r10
            r3 += -8
            r4 = 0
            *(u64 *)(r10 -8) = r4
            call bpf_loop
            r1 = *(u64 *)(r10 -8)
            r1 <<= 8
            r0 += r1
            exit
            cb:
            r3 = *(u64 *)(r2 +0)
            r3 += r1
            *(u64 *)(r2 +0) = r3
            r0 = 0
            if r1 != 3 goto +1
            r0 = 1
            exit
            """;
        // Iterations 0..3 run (the 4th returns 1): bpf_loop returns 4, the sum of indexes is 6.
        Assert.Equal(4UL + (6UL << 8), Run(program));
    }

    [Fact]
    public void Bpf_loop_refuses_flags_and_too_many_iterations()
    {
        Assert.Equal(unchecked((ulong)-22L), Run("r1 = 1\nr2 = func[cb] ll\nr3 = 0\nr4 = 1\ncall bpf_loop\nexit\ncb:\nr0 = 0\nexit"));
        Assert.Equal(unchecked((ulong)-7L), Run("r1 = 0x800001\nr2 = func[cb] ll\nr3 = 0\nr4 = 0\ncall bpf_loop\nexit\ncb:\nr0 = 0\nexit"));
    }

    [Fact]
    public void An_infinite_loop_exhausts_the_instruction_budget()
    {
        var e = Fails("r0 = 0\nloop:\nr0 += 1\ngoto loop", new InterpreterOptions { InstructionBudget = 10_000 });
        Assert.Contains("instruction budget of 10000 exhausted", e.Message);
    }

    [Fact]
    public void Profiling_counts_each_instruction_and_runs_accumulate()
    {
        var program = Program("r0 = 0\nr1 = 3\nloop:\nr0 += 1\nr1 -= 1\nif r1 != 0 goto loop\nexit");
        program.EnableProfiling();
        var interpreter = new Interpreter();
        var result = interpreter.Run(program);
        interpreter.Run(program);
        Assert.Equal(3UL, result.ReturnValue);
        Assert.Equal(12, result.Instructions);
        Assert.Equal([2L, 2, 6, 6, 6, 2, 0], program.InstructionCounts!);
        Assert.Equal(2, program.RunCount);
        Assert.True(program.TotalNanoseconds > 0);
    }

    [Theory]
    [InlineData("r0 = 0", "insn 1: fell off the end of the program (no exit)")]
    [InlineData("r10 = 0\nexit", "insn 0: frame pointer r10 is read-only")]
    [InlineData("goto +5\nexit", "insn 0: jump out of range to 6")]
    [InlineData("call 9999\nexit", "insn 0: unknown helper 9999")]
    [InlineData("call bpf_fib_lookup\nexit", "insn 0: unknown helper 69 (bpf_fib_lookup is not implemented by the userspace runtime)")]
    [InlineData("r0 = 0\ncallx r0\nexit", "insn 1: unknown helper 0")]
    public void Bad_programs_stop_with_a_clear_error(string program, string message)
    {
        Assert.Equal(message, Fails(program).Message);
    }

    [Fact]
    public void A_jump_into_the_second_slot_of_ld_imm64_is_refused()
    {
        Instruction[] program = [new(0x05, 0, 0, 1, 0), new(0x18, 0, 0, 0, 1), new(0, 0, 0, 0, 0), new(0x95, 0, 0, 0, 0)];
        var e = Assert.Throws<BpfRuntimeException>(() => new Interpreter().Run(new RuntimeProgram(program)));
        Assert.Equal("insn 2: jump into the middle of the ld_imm64 at 1", e.Message);
    }
}
