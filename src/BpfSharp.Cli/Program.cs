using System.CommandLine;
using BpfSharp.Cli;
using BpfSharp.Cli.Commands;

var root = new RootCommand("BpfSharp: an eBPF toolchain for .NET — list, disassemble and inspect BPF objects.");
root.Subcommands.Add(ListCommand.Create());
root.Subcommands.Add(DisasmCommand.Create());
root.Subcommands.Add(StatCommand.Create());
return CommandRunner.Run(root, args);
