#!/bin/sh
# The fuzz targets replay their seeds; see run.bash.
exec bash "$(dirname "$0")/run.bash"
