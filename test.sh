#!/usr/bin/env bash
# Runs every test (the README's test command). As root on a fresh machine it first provides what the kernel
# cross-checks use, when it can: bpftool (Debian package) and a bpf filesystem on /sys/fs/bpf. Tests that still
# lack them, or bpf() itself, are reported as skipped with the reason.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" = 0 ] && [ "$(uname -s)" = Linux ]; then
	if ! command -v bpftool >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
		echo "test.sh: installing bpftool for the kernel cross-checks" >&2
		{ apt-get install -y -q bpftool || { apt-get update -q && apt-get install -y -q bpftool; }; } >/dev/null 2>&1 ||
			echo "test.sh: could not install bpftool; the bpftool cross-checks will be skipped" >&2
	fi
	if ! grep -q ' /sys/fs/bpf bpf ' /proc/mounts 2>/dev/null; then
		mount -t bpf bpf /sys/fs/bpf 2>/dev/null ||
			echo "test.sh: could not mount a bpf filesystem on /sys/fs/bpf; tests that pin objects will be skipped" >&2
	fi
fi
exec dotnet test BpfSharp.slnx "$@"
