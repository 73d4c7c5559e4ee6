#!/bin/sh
# The register under kill -9 of the daemon, through two real Postfix
# instances; see run.bash.
exec bash "$(dirname "$0")/run.bash"
