#!/bin/sh
# build.sh - link every fuzz/<name>_fuzz.c against a fuzz build of the
# library: sh fuzz/build.sh BUILD_DIR  (BUILD_DIR holds libvanthu.a built
# with clang and -fsanitize=fuzzer-no-link,address,undefined, as
# `make fuzz` does).  Each target lands in BUILD_DIR/<name>_fuzz.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-fuzz}
case "$build" in /*) ;; *) build="$top/$build" ;; esac
cd "$top"
# The PKGS line of the Makefile, with its continuation lines.
PKGS=$(sed -n '/^PKGS[ 	]*=/,/[^\\]$/p' Makefile | tr '\\\n' '  ' |
	sed 's/^PKGS[ 	]*=//')
cflags=$(pkg-config --cflags $PKGS)
libs="$(pkg-config --libs $PKGS) -letpan -lmilter -lunistring -lpthread -lm"
for src in fuzz/*_fuzz.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	echo "fuzz/build.sh: $build/$name"
	clang -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra \
		-fsanitize=fuzzer,address,undefined \
		-Imilter -Irules -Istore $cflags \
		-o "$build/$name" "$src" "$build/libvanthu.a" $libs
done
