#!/bin/sh
# The daemon when its file systems fill up; see run.bash.
exec bash "$(dirname "$0")/run.bash"
