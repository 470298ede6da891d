// SPDX-License-Identifier: MIT
/* Prints every program of a BPF object as libbpf links it (after bpf_object__load on the running kernel),
 * one instruction per line as "code dst src off imm", with map references written as "map NAME OFFSET".
 * BpfSharp's linker tests compare against this output, committed as tests/objects/NAME.linked.
 * Build: gcc -O2 libbpf_linked.c -o libbpf_linked -lbpf   Run as root with bpffs mounted on /sys/fs/bpf. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>

static int quiet(enum libbpf_print_level level, const char *format, va_list args) { return 0; }

int main(int argc, char **argv)
{
	libbpf_set_print(quiet);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "%s: cannot load\n", argv[1]);
		return 1;
	}
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		const struct bpf_insn *insns = bpf_program__insns(prog);
		size_t count = bpf_program__insn_cnt(prog);
		printf("program %s %zu\n", bpf_program__name(prog), count);
		for (size_t i = 0; i < count; i++) {
			const struct bpf_insn *insn = &insns[i];
			if (insn->code == 0x18 && (insn->src_reg == 1 || insn->src_reg == 2)) {
				struct bpf_map *map;
				const char *name = "?";
				bpf_object__for_each_map(map, obj)
					if (bpf_map__fd(map) == insn->imm) name = bpf_map__name(map);
				printf("map %s %u\n", name, insn->src_reg == 2 ? (unsigned)insns[i + 1].imm : 0);
				i++;
				continue;
			}
			printf("%02x %u %u %d %d\n", insn->code, insn->dst_reg, insn->src_reg, insn->off, insn->imm);
		}
	}
	bpf_object__close(obj);
	return 0;
}
