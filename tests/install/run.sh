#!/bin/sh
# make install and uninstall, and the installed daemon; see run.bash.
exec bash "$(dirname "$0")/run.bash"
