#!/bin/sh
# build.sh - link every fuzz/*_fuzz.c against the clang-built library.
#
#	sh fuzz/build.sh BUILD_DIR
#
# BUILD_DIR holds libvanthu.a built with -fsanitize=fuzzer-no-link (see
# `make fuzz`); each fuzz/NAME_fuzz.c becomes BUILD_DIR/NAME_fuzz, linked
# with libFuzzer, ASan and UBSan and the libraries of the Makefile.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-fuzz}
cd "$top"
pkgs=$(sed -n '/^PKGS/,/[^\\]$/p' Makefile | sed 's/^PKGS[[:space:]]*=//; s/\\//g')
cflags=$(pkg-config --cflags $pkgs)
libs="$(pkg-config --libs $pkgs) -letpan -lmilter -lunistring -lpthread -lm"
for src in fuzz/*_fuzz.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	echo "fuzz: $build/$name"
	clang -std=c11 -D_GNU_SOURCE -g -O1 \
		-fsanitize=fuzzer,address,undefined \
		-Imilter -Irules -Istore $cflags \
		-o "$build/$name" "$src" "$build/libvanthu.a" $libs
done
