#!/bin/sh
# The daemon through libmilter's own test client; see run.bash.
exec bash "$(dirname "$0")/run.bash"
