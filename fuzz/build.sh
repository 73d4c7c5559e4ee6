#!/bin/sh
# build.sh - link every fuzz/*_fuzz.c against BUILD/libvanthu.a.
#
#	sh fuzz/build.sh build-fuzz
#
# `make fuzz` first builds BUILD/libvanthu.a with clang and
# -fsanitize=fuzzer-no-link,address,undefined; this links each target
# with libFuzzer and the libraries the Makefile names (PKGS, read from the
# Makefile itself, and LIBS' extras) into BUILD/<name>_fuzz.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${1:-build-fuzz}
CC=${FUZZ_CC:-clang}
pkgs=$(sed -n '/^PKGS[[:space:]]*=/,/[^\\]$/p' Makefile |
	sed 's/^PKGS[[:space:]]*=//; s/\\//g' | tr '\n' ' ')
cflags="-std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
-Imilter -Irules -Istore $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -letpan -lmilter -lunistring -lpthread -lm"

for src in fuzz/*_fuzz.c; do
	[ -f "$src" ] || continue
	out=$build/$(basename "$src" .c)
	echo "fuzz: $out"
	# shellcheck disable=SC2086
	$CC $cflags -o "$out" "$src" "$build/libvanthu.a" $libs
done
