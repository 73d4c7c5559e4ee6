#!/usr/bin/env python3
"""check.py CASEDIR - run mime_walk on every case gen.py wrote and print one
TAP line per case: the documents and skipped parts must match exactly, in
order; S/MIME bytes are checked with openssl; time and memory limits hold
where a case sets them.  Then every file in tests/mime/regress (inputs the
fuzzer once broke) must walk cleanly."""
import glob
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

casedir = sys.argv[1]
build = os.environ.get("VANTHU_BUILD", "build")
top = os.environ.get("VANTHU_TOP", ".")
walk = os.path.join(build, "tests/tools/mime_walk")
sanitized = os.environ.get("VANTHU_SANITIZED") == "1"
n = 0


def tap(ok, sentence, why=""):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, sentence))
    if not ok:
        for line in why.splitlines()[:30]:
            print("#   " + line)


def run(path, dumpdir=None):
    args = [walk] + (["-d", dumpdir] if dumpdir else []) + [path]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True)
    dt = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    del before
    return p, dt, rss


def compare(c, got):
    why = []
    want_docs, got_docs = c["documents"], got["documents"]
    if len(want_docs) != len(got_docs):
        why.append("%d documents, want %d" % (len(got_docs), len(want_docs)))
    for i, (w, g) in enumerate(zip(want_docs, got_docs)):
        for k, v in w.items():
            if g.get(k) != v:
                why.append("documents[%d].%s = %r, want %r"
                           % (i, k, g.get(k), v))
    want_sk, got_sk = c["skipped"], got["skipped"]
    if len(want_sk) != len(got_sk):
        why.append("skipped %r, want %r" % (got_sk[:5], want_sk[:5]))
    for i, (w, g) in enumerate(zip(want_sk, got_sk)):
        for k, v in w.items():
            gv = g.get(k)
            if k == "reason" and c.get("reason_prefix"):
                ok = isinstance(gv, str) and gv.startswith(v)
            else:
                ok = gv == v
            if not ok:
                why.append("skipped[%d].%s = %r, want %r" % (i, k, gv, v))
    return why


def check_smime(c, got, d):
    why = []
    der = os.path.join(d, "smime.der")
    content = os.path.join(d, "smime.content")
    if c["smime"] == "detached":
        if not got["smime"]["content"] or not got["smime"]["der"]:
            return ["no S/MIME content or signature: %r" % got["smime"]]
        args = ["openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", der, "-content", content, "-noverify", "-out",
                os.devnull]
    else:
        if got["smime"]["content"] or not got["smime"]["der"]:
            return ["want only the signed-data DER: %r" % got["smime"]]
        args = ["openssl", "cms", "-verify", "-inform", "DER", "-in", der,
                "-noverify", "-out", os.devnull]
    p = subprocess.run(args, capture_output=True)
    if p.returncode != 0:
        why.append("openssl cms -verify: " + p.stderr.decode(errors="replace"))
    return why


with open(os.path.join(casedir, "cases.json")) as f:
    cases = json.load(f)
for c in cases:
    with tempfile.TemporaryDirectory() as d:
        p, dt, rss = run(c["file"], d if c.get("smime") else None)
        why = []
        if p.returncode != 0:
            why.append("mime_walk exited %d: %s" % (
                p.returncode, p.stderr.decode(errors="replace")[-2000:]))
        else:
            try:
                got = json.loads(p.stdout)
            except ValueError:
                tap(False, c["sentence"], "mime_walk printed no JSON: %r"
                    % p.stdout[:200])
                continue
            why += compare(c, got)
            if c.get("smime"):
                why += check_smime(c, got, d)
            elif got["smime"]["content"] or got["smime"]["der"]:
                why.append("unexpected S/MIME data %r" % got["smime"])
        # Sanitizers slow everything down several times.
        slow = 4 if sanitized else 1
        if "max_seconds" in c and dt > c["max_seconds"] * slow:
            why.append("took %.1f s, limit %d s" % (dt, c["max_seconds"]))
        if "max_rss_mb" in c and not sanitized and rss > c["max_rss_mb"]:
            why.append("used %.0f MB, limit %d MB" % (rss, c["max_rss_mb"]))
        tap(not why, c["sentence"], "\n".join(why))

for path in sorted(glob.glob(os.path.join(top, "tests/mime/regress/*"))):
    p, dt, rss = run(path)
    ok = p.returncode == 0
    if ok:
        try:
            json.loads(p.stdout)
        except ValueError:
            ok = False
    tap(ok, "fuzz regression %s walks cleanly" % os.path.basename(path),
        p.stderr.decode(errors="replace")[-2000:])
print("1..%d" % n)
