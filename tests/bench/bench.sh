#!/bin/sh
# bench.sh - the milter load benchmark; run by hand, never by make check.
#
#	make all bench && sh tests/bench/bench.sh [REPEAT]
#
# The real work is in bench.bash (same directory).
exec bash "$(dirname "$0")/bench.bash" "$@"
