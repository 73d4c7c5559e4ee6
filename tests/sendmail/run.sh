#!/bin/sh
# End to end through a real Sendmail 8.17; see run.bash.
exec bash "$(dirname "$0")/run.bash"
