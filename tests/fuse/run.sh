#!/bin/sh
# The spool and a backup on a file system without unnamed files; see run.bash.
exec bash "$(dirname "$0")/run.bash"
