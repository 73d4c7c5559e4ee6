#!/bin/sh
# The rules through the running daemon and a real Postfix; see run.bash.
exec bash "$(dirname "$0")/run.bash"
