#!/bin/sh
# Rebuilds the committed test objects. Needs only clang (clang-14 or newer); the .o files are committed so
# that the tests do not need it.
set -e
cd "$(dirname "$0")"
CLANG=${CLANG:-$(command -v clang-14 || command -v clang)}
for src in *.c; do
	"$CLANG" -O2 -g -target bpf -mcpu=v3 -c "$src" -o "${src%.c}.o"
done
"$CLANG" -O2 -g -target bpf -mcpu=v3 -c ../../samples/xdp_counter.c -o ../../samples/xdp_counter.o
"$CLANG" -O2 -g -target bpf -mcpu=v1 -c ../../samples/verifier_state_stress.c -o ../../samples/verifier_state_stress.o
