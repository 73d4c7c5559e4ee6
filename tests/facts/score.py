#!/usr/bin/python3
"""score.py - compare doc_facts output with the corpus's expected facts.

Usage: score.py CORPUSDIR DOC_FACTS START

Prints a "#" line per document, the TAP line of the overall exact-match
rate (>= 95 %; a field the document lacks counts as a match when it is
read as empty), the accuracy of every field, every wrong value apart from
the empty ones, and a TAP line that wants no wrong value at all.
"""
import json, os, subprocess, sys

FIELDS = ['issuer', 'number', 'symbol', 'reference', 'reference_printed',
          'year', 'date', 'place', 'type_code', 'type_name', 'summary',
          'urgency', 'secrecy', 'circulation', 'signer_name',
          'signer_position', 'signer_competence', 'recipients']


def main():
    corpus, tool = sys.argv[1], sys.argv[2]
    names = open(os.path.join(corpus, 'index')).read().split()
    n = int(sys.argv[3]) - 1
    docs = 0
    right = {f: 0 for f in FIELDS}
    total = {f: 0 for f in FIELDS}
    wrong, missing, crashed = [], [], []
    for name in names:
        meta = json.load(open(os.path.join(corpus, name + '.json')))
        cmd = [tool, os.path.join(corpus, meta['file'])]
        if meta.get('subject'):
            cmd += ['--subject', meta['subject']]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode not in (0, 1) or 'Sanitizer' in r.stderr or \
                'runtime error' in r.stderr:
            crashed.append('%s: status %d %s' % (name, r.returncode, r.stderr[-300:]))
        try:
            got = json.loads(r.stdout)['facts']
        except ValueError:
            got = {}
        ok = True
        for f in FIELDS:
            want, have = meta['facts'].get(f), got.get(f)
            total[f] += 1
            if want == have:
                right[f] += 1
                continue
            ok = False
            if have is None:
                missing.append('%s %s: empty, want %r' % (name, f, want))
            else:
                wrong.append('%s %s: %r, want %r' % (name, f, have, want))
        docs += 1
        print('# %s (%s): %s' % (name, meta['format'],
                                 'every field as labelled' if ok else 'some fields differ'))
    allr, allt = sum(right.values()), sum(total.values())
    rate = 100.0 * allr / allt
    n += 1
    print('%s %d - fields read exactly: %.1f %% of %d in %d documents (at least 95 %%)' %
          ('ok' if rate >= 95 else 'not ok', n, rate, allt, docs))
    for f in FIELDS:
        print('# %-18s %5.1f %%' % (f, 100.0 * right[f] / total[f]))
    for w in wrong:
        print('# WRONG ' + w)
    for m in missing:
        print('# empty ' + m)
    n += 1
    print('%s %d - doc_facts reads every document without a crash or a '
          'sanitizer report' % ('not ok' if crashed else 'ok', n))
    for c in crashed:
        print('# ' + c.replace('\n', '\n# '))
    if wrong:
        n += 1
        print('not ok %d - no field has a wrong value (%d do)' % (n, len(wrong)))
    else:
        n += 1
        print('ok %d - no field has a wrong value' % n)


if __name__ == '__main__':
    main()
