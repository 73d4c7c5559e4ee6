#!/bin/bash
# run.bash - the fuzz targets, built with fuzz/replay.c for a main (no
# libFuzzer: `make tests` builds them as $build/tests/fuzz/NAME_fuzz),
# replay every seed fuzz/seeds.sh makes, once each.  So the targets and
# the seed makers keep building and working as the code changes, and
# every seed goes through its parser cleanly, under AddressSanitizer and
# UBSan too in `make asan`.  A target without seeds fails here: seeds.sh
# must make some for every fuzz/*_fuzz.c.  Fuzzing itself is `make fuzz`,
# by hand.
. "$(dirname "$0")/../lib.bash"
lib_setup fuzz
trap 'rm -rf "$tmp"' EXIT INT TERM
seeds=$tmp/seeds

count() {	# count DIR: its files
	find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l
}

VANTHU_BUILD=$build sh "$top/fuzz/seeds.sh" "$seeds" >"$tmp/seeds.log" 2>&1
rc=$?
tap $rc "fuzz/seeds.sh makes the seeds" ||
	sed 's/^/#   /' "$tmp/seeds.log" | tail -20

# The seeds whose number seeds.sh fixes itself.
tap "$([ "$(count "$seeds/pdf_sigloc")" -eq 4 ] && echo 0 || echo 1)" \
	"pdf_sigloc: a PDF unsigned, signed once, twice, and changed after"
tap "$([ "$(count "$seeds/cms")" -eq 8 ] && echo 0 || echo 1)" \
	"cms: eight signatures made with openssl cms"
# The worker's replies for mail with a signed PDF carry the signature as
# the test PKI's trusted root made it valid: signer, issuer, verdict.
f=$seeds/wproto/signed-two.eml
tap "$([ -f "$f" ] && grep -aq 'Nguyen Van A' "$f" &&
	grep -aq 'CN=Test CA Co quan' "$f" && echo 0 || echo 1)" \
	"wproto: a reply for a PDF signed twice names its signer and issuer"

for src in "$top"/fuzz/*_fuzz.c; do
	name=$(basename "$src" .c)
	dir=$seeds/${name%_fuzz}
	want=$(count "$dir")
	"$build/tests/fuzz/$name" "$dir" >/dev/null 2>"$tmp/$name.err"
	rc=$?
	got=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' "$tmp/$name.err")
	tap "$([ "$rc" -eq 0 ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ] && echo 0 || echo 1)" \
		"$name replays its $want seeds" || {
		echo "#   exit $rc, replayed ${got:-none}, last $(grep '^input ' "$tmp/$name.err" | tail -1)"
		grep -v '^input \|Checksum mismatch' "$tmp/$name.err" | tail -15 | sed 's/^/#   /'
	}
done
