using System.Text;
using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Packets;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// Seeded fuzz of the helpers that act on packets, ring buffers and maps: random sequences of helper calls with
/// hostile arguments (negative and huge sizes, offsets past the end, pointers into the stack, the packet and the
/// context, wrong handles) run unverified through <see cref="ProgramRunner"/> as xdp and sched_cls programs on
/// generated packets. A run may stop with a runtime error; nothing else may escape, and the runner stays usable.
/// BPFSHARP_FUZZ_HELPERS=N for a longer run.
/// </summary>
public class HelperFuzzTests
{
    private static readonly int[] Helpers = [9, 10, 11, 18, 19, 23, 25, 26, 28, 31, 38, 39, 43, 44, 50, 51, 54, 65, 87, 88, 89, 130, 131, 132, 133, 134, 164, 1, 2, 3];

    private static readonly string[] Values =
    [
        "0", "1", "-1", "2", "4", "14", "-14", "34", "60", "-60", "4000", "-4000", "0x7fffffff", "-0x80000000", "0xffff", "216", "-216",
    ];

    private static string Argument(Random random, int register) => random.Next(6) switch
    {
        0 => $"r{register} = r10\nr{register} += -{8 * random.Next(1, 8)}",
        1 => $"r{register} = r6",
        2 => $"r{register} = r7",
        3 => $"r{register} = r8",
        4 => $"r{register} = map[m] ll",
        _ => $"r{register} = {Values[random.Next(Values.Length)]}",
    };

    private static string Program(Random random, bool xdp)
    {
        var text = new StringBuilder();
        text.AppendLine("r6 = r1");
        text.AppendLine(xdp ? "r7 = *(u32 *)(r6 +0)\nr8 = *(u32 *)(r6 +4)" : "r7 = *(u32 *)(r6 +76)\nr8 = *(u32 *)(r6 +80)");
        text.AppendLine("r1 = 0\n*(u64 *)(r10 -8) = r1\n*(u64 *)(r10 -16) = r1\n*(u64 *)(r10 -24) = r1\n*(u64 *)(r10 -32) = r1");
        for (int call = random.Next(1, 8); call > 0; call--)
        {
            for (int r = 2; r <= 5; r++) text.AppendLine(Argument(random, r));
            text.AppendLine(random.Next(4) == 0 ? Argument(random, 1) : "r1 = r6");
            text.AppendLine($"call {HelperFunctions.NameOf(Helpers[random.Next(Helpers.Length)])}");
        }
        text.AppendLine("r0 = 0\nexit");
        return text.ToString();
    }

    [Fact]
    public void Hostile_helper_calls_stop_with_runtime_errors_and_nothing_else()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_FUZZ_HELPERS"), out int n) && n > 0 ? n : 1500;
        var random = new Random(20261122);
        var packets = new PacketGenerator(20261122).EveryKind().Take(40).ToArray();
        var map = new MapSpec { Name = "m", Type = MapType.Ringbuf, MaxEntries = 4096, SectionName = ".maps" };
        int ran = 0, stopped = 0;
        for (int i = 0; i < count; i++)
        {
            bool xdp = random.Next(2) == 0;
            string text = Program(random, xdp);
            var spec = new ProgramSpec
            {
                Name = "fuzz", SectionName = xdp ? "xdp" : "tc", Type = xdp ? ProgramType.Xdp : ProgramType.SchedCls, Maps = [map],
                Instructions = Assembler.Assemble(text, new MapSymbols(["m"])),
            };
            var runner = ProgramRunner.Create(new ObjectSpec { Programs = [spec], Maps = [map] }, spec,
                new InterpreterOptions { InstructionBudget = 100_000 });
            var packet = packets[random.Next(packets.Length)].Frame;
            ProgramRunResult result;
            try
            {
                result = runner.Run(packet);
                runner.Run(packet); // the runner (maps, regions) stays usable after whatever the first run did
            }
            catch (Exception e)
            {
                Assert.Fail($"program {i} ({(xdp ? "xdp" : "tc")}) threw {e.GetType().Name}: {e.Message}\n{text}");
                return;
            }
            if (result.Succeeded) ran++;
            else stopped++;
        }
        Assert.True(ran > count / 20, $"only {ran} of {count} programs ran to their exit ({stopped} stopped)");
    }
}
