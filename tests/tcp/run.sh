#!/bin/sh
# The daemon's end-of-message latency over TCP; see run.bash.
exec bash "$(dirname "$0")/run.bash"
