using System.CommandLine;
using BpfSharp.Cli;
using BpfSharp.Cli.Commands;

var root = new RootCommand("BpfSharp: an eBPF toolchain for .NET — list, disassemble, verify and measure BPF objects.");
root.Subcommands.Add(ListCommand.Create());
root.Subcommands.Add(DisasmCommand.Create());
root.Subcommands.Add(StatCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ConformancePluginCommand.Create());
return CommandRunner.Run(root, args);
