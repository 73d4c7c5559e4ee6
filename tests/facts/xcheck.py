#!/usr/bin/python3
"""xcheck.py - the PDF text vanthu reads against pdftotext's.

Usage: xcheck.py CORPUSDIR DOC_FACTS START

For every PDF of the corpus with a text layer in Unicode, compares the
text doc_facts prints with pdftotext's for the same pages (the first two
and the last), both in NFC without white space.  The same characters must come out,
as many times each; their order may differ where the two place a rule
line or a column differently.  Prints one
TAP line per file, numbered from START.
"""
import json, os, subprocess, sys, unicodedata
from collections import Counter


def squash(s):
    # pdftotext joins a line that ends with a hyphen to the next one and
    # drops that hyphen ("-------" over "Hà Nội" loses a dash): hyphens
    # do not count.
    return ''.join(unicodedata.normalize('NFC', s).split()).replace('-', '')


def pdftotext(path, first, last):
    r = subprocess.run(['pdftotext', '-q', '-enc', 'UTF-8', '-f', str(first),
                        '-l', str(last), path, '-'], capture_output=True)
    return r.stdout.decode('utf-8', 'replace')


def pages(path):
    r = subprocess.run(['pdfinfo', path], capture_output=True, text=True)
    for ln in r.stdout.splitlines():
        if ln.startswith('Pages:'):
            return int(ln.split()[1])
    return 0


def main():
    corpus, tool, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for name in open(os.path.join(corpus, 'index')).read().split():
        meta = json.load(open(os.path.join(corpus, name + '.json')))
        if meta['format'] not in ('pdf',):
            continue
        path = os.path.join(corpus, meta['file'])
        r = subprocess.run([tool, path, '--text'], capture_output=True, text=True)
        mine = json.loads(r.stdout).get('text') or ''
        np = pages(path)
        ref = pdftotext(path, 1, min(2, np))
        if np > 2:
            ref += pdftotext(path, np, np)
        ok = Counter(squash(mine)) == Counter(squash(ref))
        print('%s %d - text of %s (%d pages) is pdftotext\'s' %
              ('ok' if ok else 'not ok', n, name, np))
        if not ok:
            a, b = Counter(squash(mine)), Counter(squash(ref))
            print('#   only vanthu: %r; only pdftotext: %r' %
                  (''.join((a - b).elements())[:60],
                   ''.join((b - a).elements())[:60]))
        n += 1


if __name__ == '__main__':
    main()
