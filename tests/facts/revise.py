#!/usr/bin/python3
"""revise.py - append an incremental update that rewrites page 1.

Usage: revise.py IN.pdf OUT.pdf LINE...

OUT is IN followed by an incremental update (new objects, an xref
section, a trailer with /Prev), as a PDF changed after signing would be:
page 1 then shows only LINE... in Helvetica.  Prints the length of IN,
the revision a signature over IN would cover.  Works on the plain
(uncompressed-xref) PDFs reportlab writes.
"""
import re, sys


def main():
    src, dst, lines = sys.argv[1], sys.argv[2], sys.argv[3:]
    data = open(src, 'rb').read()
    prev = int(re.findall(rb'startxref\s+(\d+)', data)[-1])
    trailer = data[data.rindex(b'trailer'):]
    size = int(re.search(rb'/Size (\d+)', trailer).group(1))
    root = re.search(rb'/Root (\d+ \d+ R)', trailer).group(1)
    m = re.search(rb'\n(\d+) 0 obj\n(<<(?:(?!endobj).)*?/Type /Page\n.*?)endobj',
                  data, re.S)
    pnum, pdict = int(m.group(1)), m.group(2)
    font = re.search(rb'/(F\d+) \d+ 0 R', data).group(1)
    ops = [b'BT /' + font + b' 12 Tf 14 TL 72 780 Td']
    for ln in lines:
        esc = ln.encode('latin-1').replace(b'\\', b'\\\\').replace(b'(', b'\\(').replace(b')', b'\\)')
        ops.append(b'(' + esc + b') Tj T*')
    ops.append(b'ET')
    stream = b'\n'.join(ops)
    cnum = size
    newpage = re.sub(rb'/Contents \d+ 0 R', b'/Contents %d 0 R' % cnum, pdict)
    out = bytearray(data)
    if not out.endswith(b'\n'):
        out += b'\n'
    off_c = len(out)
    out += b'%d 0 obj\n<< /Length %d >>\nstream\n' % (cnum, len(stream)) + stream + b'\nendstream\nendobj\n'
    off_p = len(out)
    out += b'%d 0 obj\n' % pnum + newpage + b'endobj\n'
    xref = len(out)
    out += b'xref\n0 1\n0000000000 65535 f \n'
    out += b'%d 1\n%010d 00000 n \n' % (pnum, off_p)
    out += b'%d 1\n%010d 00000 n \n' % (cnum, off_c)
    out += b'trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n' % (
        size + 1, root, prev, xref)
    open(dst, 'wb').write(out)
    print(len(data))


if __name__ == '__main__':
    main()
