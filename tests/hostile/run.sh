#!/bin/sh
# Hostile messages through the running daemon; see run.bash.
exec bash "$(dirname "$0")/run.bash"
