#!/bin/sh
# deps.sh - install the Debian packages vanthu's build and tests need.
# Does nothing when they are all present; needs root otherwise.
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libmilter-dev miltertest libetpan-dev libpcre2-dev libsqlite3-dev sqlite3
libssl-dev openssl libmagic-dev libarchive-dev libunistring-dev libutf8proc-dev
libytnef0-dev tnef
libpoppler-glib-dev poppler-utils libxml2-dev libzip-dev libjson-c-dev
libxlsxwriter-dev libcmocka-dev libseccomp-dev postfix libpodofo-utils libnss3-tools
zlib1g-dev mupdf-tools lzip lz4 ncompress
python3 python3-reportlab python3-openpyxl fonts-dejavu-core unzip zip m4 gdb bindfs"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	"install ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing Debian packages:$missing" >&2
	echo "deps.sh: run 'make deps' as root, or install them yourself" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
# Installing postfix must not configure or start a system mail server: the
# tests run their own instance.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
