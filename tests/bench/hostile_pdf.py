#!/usr/bin/python3
"""hostile_pdf.py DIR - write PDFs that are costly to read, under the limits.

runs.pdf: one page, 200 000 text runs of one glyph each (about 3 MB).
pages.pdf: 3 000 pages (only the first two and the last are read).
forms.pdf: 24 nested form XObjects, each drawing the next twice.
"""
import sys, zlib


def write(path, objs):
    out = bytearray(b'%PDF-1.4\n')
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b'%d 0 obj\n' % i + o + b'\nendobj\n'
    x = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
    for o in offs:
        out += b'%010d 00000 n \n' % o
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, x)
    open(path, 'wb').write(out)


def stream(data, extra=b''):
    z = zlib.compress(data)
    return b'<< /Length %d /Filter /FlateDecode %s >>\nstream\n' % (len(z), extra) + z + b'\nendstream'


FONT = b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'


def runs(path):
    ops = [b'BT /F1 4 Tf']
    for i in range(200000):
        ops.append(b'1 0 0 1 %d %d Tm (%c) Tj' % (20 + (i * 7) % 560, 20 + (i // 80) % 800, 65 + i % 26))
    ops.append(b'ET')
    write(path, [b'<< /Type /Catalog /Pages 2 0 R >>',
                 b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
                 b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
                 b'/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
                 FONT, stream(b'\n'.join(ops))])


def pages(path):
    n = 3000
    objs = [b'<< /Type /Catalog /Pages 2 0 R >>', None, FONT, stream(b'BT /F1 12 Tf 72 700 Td (So: 1/QD-X) Tj ET')]
    kids = []
    for i in range(n):
        kids.append(b'%d 0 R' % (len(objs) + 1))
        objs.append(b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
                    b'/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>')
    objs[1] = b'<< /Type /Pages /Kids [' + b' '.join(kids) + b'] /Count %d >>' % n
    write(path, objs)


def forms(path):
    depth = 24
    objs = [b'<< /Type /Catalog /Pages 2 0 R >>',
            b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
            b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
            b'/Resources << /XObject << /X0 5 0 R >> /Font << /F1 4 0 R >> >> /Contents 6 0 R >>',
            FONT]
    # object 5 + k is form k; the page's content is object 6 (shifted below)
    forms_ = []
    for k in range(depth):
        nxt = 7 + k + 1 if k + 1 < depth else None
        body = b'BT /F1 8 Tf 10 10 Td (x) Tj ET'
        res = b'/Resources << /Font << /F1 4 0 R >> >>'
        if nxt:
            body = b'/X1 Do 0.5 0 0 0.5 1 1 cm /X1 Do ' + body
            res = b'/Resources << /Font << /F1 4 0 R >> /XObject << /X1 %d 0 R >> >>' % nxt
        forms_.append(stream(body, b'/Type /XObject /Subtype /Form /BBox [0 0 595 842] ' + res))
    objs[2] = objs[2].replace(b'/X0 5 0 R', b'/X0 7 0 R')
    objs.append(b'<< >>')                      # 5: unused
    objs.append(stream(b'/X0 Do'))             # 6: page content
    objs += forms_                             # 7..
    write(path, objs)


if __name__ == '__main__':
    d = sys.argv[1]
    runs(d + '/runs.pdf')
    pages(d + '/pages.pdf')
    forms(d + '/forms.pdf')
