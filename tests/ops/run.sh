#!/bin/sh
# Sockets, privileges and statistics of the daemon; see run.bash.
exec bash "$(dirname "$0")/run.bash"
