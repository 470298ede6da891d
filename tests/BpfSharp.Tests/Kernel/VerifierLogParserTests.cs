using BpfSharp.Kernel;

namespace BpfSharp.Tests.Kernel;

/// <summary>Statistics and messages from logs captured on Linux 6.18.</summary>
public class VerifierLogParserTests
{
    private const string Rejected = """
        0: R1=ctx() R10=fp0
        0: (95) exit
        R0 !read_ok
        verification time 40 usec
        stack depth 0
        processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

        """;

    private const string Accepted = """
        verification time 3782 usec
        stack depth 8+0+16
        processed 9477 insns (limit 1000000) max_states_per_insn 4 total_states 749 peak_states 749 mark_read 3

        """;

    [Fact]
    public void Reads_every_statistic()
    {
        var s = VerifierLogParser.Parse(Accepted);
        Assert.Equal((9477L, 1000000L, 4L, 749L, 749L, 3L, 3782L), (s.ProcessedInstructions, s.InstructionLimit, s.MaxStatesPerInstruction,
            s.TotalStates, s.PeakStates, s.MarkRead, s.VerificationTimeMicroseconds));
        Assert.Equal([8, 0, 16], s.StackDepths);
        Assert.True(s.ReachedVerifier);
    }

    [Fact]
    public void The_error_message_is_the_last_line_before_the_statistics()
    {
        Assert.Equal("R0 !read_ok", VerifierLogParser.ErrorMessage(Rejected));
        Assert.Equal(1, VerifierLogParser.Parse(Rejected).ProcessedInstructions);
    }

    [Fact]
    public void A_message_without_a_newline_is_separated_from_the_statistics()
    {
        // Some kernel messages lack their newline: "expected prog array map for tail call" then "verification time".
        const string log = "3: (85) call bpf_tail_call#12\nexpected prog array map for tail callverification time 25 usec\nstack depth 0\nprocessed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";
        Assert.Equal("expected prog array map for tail call", VerifierLogParser.ErrorMessage(log));
        Assert.Equal(25, VerifierLogParser.Parse(log).VerificationTimeMicroseconds);
    }

    [Fact]
    public void The_states_after_an_infinite_loop_are_not_the_message()
    {
        const string log = "1: (05) goto pc-1\ninfinite loop detected at insn 1\ncur state: R0=0 R1=ctx() R10=fp0\nold state: R0=0 R1=ctx() R10=fp0\nverification time 30 usec\nstack depth 0\nprocessed 9 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0\n";
        Assert.Equal("infinite loop detected at insn 1", VerifierLogParser.ErrorMessage(log));
    }

    [Fact]
    public void A_log_without_statistics_never_reached_the_verifier()
    {
        var s = VerifierLogParser.Parse("");
        Assert.False(s.ReachedVerifier);
        Assert.Null(s.TotalStates);
        Assert.Null(VerifierLogParser.ErrorMessage(""));
    }

    [Fact]
    public void Counters_a_kernel_does_not_print_stay_null()
    {
        var s = VerifierLogParser.Parse("processed 7 insns (limit 1000000) max_states_per_insn 1 total_states 2 peak_states 2\n");
        Assert.Equal((7L, 2L), (s.ProcessedInstructions, s.TotalStates));
        Assert.Null(s.MarkRead);
        Assert.Null(s.VerificationTimeMicroseconds);
    }
}
