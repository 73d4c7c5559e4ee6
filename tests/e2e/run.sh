#!/bin/sh
# End to end through a real Postfix; see run.bash.
exec bash "$(dirname "$0")/run.bash"
