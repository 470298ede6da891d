#!/usr/bin/env python3
"""Instruction counts of every function of BPF objects, as llvm-objdump shows them.

Usage: objdump_counts.py FILE... > counts.tsv
Prints "file<TAB>section<TAB>function<TAB>slots" for each function label that llvm-objdump prints, where slots
is the number of 8-byte instruction slots until the next function label or the end of the section (an ld_imm64
counts as 2, like the kernel). Basic-block labels (LBB*) are not functions. Used to build and check the
expected-counts fixture of the corpus tests, so the tests themselves need no LLVM.
"""
import re, subprocess, sys

LABEL = re.compile(r'^[0-9a-f]+ <(.+)>:$')
INSN = re.compile(r'^\s*(\d+):\s+((?:[0-9a-f]{2} ){7}[0-9a-f]{2})')
SECTION = re.compile(r'^Disassembly of section (.+):$')

def counts(path):
    out = subprocess.run(['llvm-objdump', '-d', path], capture_output=True, text=True).stdout
    section, current, start, last_end, result = None, None, 0, 0, []
    def close():
        if current is not None:
            result.append((section, current, last_end - start))
    for line in out.splitlines():
        m = SECTION.match(line)
        if m:
            close(); current = None; section = m.group(1); last_end = 0; continue
        m = LABEL.match(line)
        if m:
            name = m.group(1)
            if re.match(r'^(LBB|Ltmp|\.L)', name):
                continue
            close(); current = name; start = last_end; continue
        m = INSN.match(line)
        if m:
            index = int(m.group(1))
            wide = m.group(2).startswith('18 ')
            last_end = index + (2 if wide else 1)
    close()
    return result

for path in sys.argv[1:]:
    for section, name, slots in counts(path):
        print(f"{path}\t{section}\t{name}\t{slots}")
