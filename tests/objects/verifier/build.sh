#!/bin/sh
# Rebuilds the verifier regression objects. They use libbpf's headers (apt: libbpf-dev) and ldsx_ctx needs
# -mcpu=v4, so clang 18 or newer (apt: clang-19); the .o files are committed so the tests need neither.
set -e
cd "$(dirname "$0")"
CLANG=${CLANG:-$(command -v clang-19 || command -v clang)}
for src in *.c; do
	cpu=v3
	[ "$src" = ldsx_ctx.c ] && cpu=v4
	"$CLANG" -O2 -g --target=bpf -mcpu=$cpu -idirafter /usr/include/x86_64-linux-gnu -idirafter /usr/include -c "$src" -o "${src%.c}.o"
done
