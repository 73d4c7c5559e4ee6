#!/usr/bin/env python3
"""seeds.py OUT - the seeds seeds.sh makes with Python alone.

OUT/docx and OUT/edxml get the documents of the facts corpus
(tests/facts/corpus.py) and of the MIME corpus (tests/mime/docs.py);
OUT/archive one archive of each kind archive_fuzz reads, its first byte
the kind; OUT/facts the first page of each corpus document as text;
OUT/hdrenc subjects and header values; OUT/rules the rule sets the
project ships.
"""
import bz2
import glob
import gzip
import io
import lzma
import os
import shutil
import sys
import tarfile

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(top, 'tests', 'mime'))
sys.path.insert(0, os.path.join(top, 'tests', 'facts'))
import corpus  # noqa: E402
import docs  # noqa: E402

# archive_fuzz.c: the first byte, modulo the length of its table, picks
# the type libmagic would have named.
ARCHIVE_KIND = {'zip': 0, 'tar': 3, 'gzip': 4, 'bzip2': 5, 'xz': 6, 'tnef': 8}


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def page_text(d):
    """The lines of the corpus document, the two columns of its head and
    of its signature block side by side, as a text extraction gives them."""
    lines = []
    for zone in corpus.lines_of(d):
        if zone[0] == 'BODY':
            lines += [t for _, _, t in zone[1]]
            continue
        left, right = zone[1], zone[2]
        for i in range(max(len(left), len(right))):
            row = [c[i][1] for c in (left, right) if i < len(c)]
            lines.append('    '.join(row))
    return lines


def documents(out):
    tmp = os.path.join(out, '.pdf')
    for d in corpus.DOCS:
        name = d['name']
        if d['fmt'] in ('docx', 'vni'):
            corpus.render_docx(d, os.path.join(out, 'docx', name + '.docx'))
        elif d['fmt'] == 'odt':
            corpus.render_odt(d, os.path.join(out, 'docx', name + '.odt'))
        elif d['fmt'] == 'edxml':
            corpus.render_pdf(dict(d, fmt='pdf'), tmp)
            corpus.render_edxml(d, os.path.join(out, 'edxml', name + '.edxml'), tmp)
            os.unlink(tmp)
        write(os.path.join(out, 'facts', name + '.txt'),
              '\n'.join(page_text(d)).encode('utf-8'))
    write(os.path.join(out, 'docx', 'mime.docx'), docs.docx())
    write(os.path.join(out, 'docx', 'mime.odt'), docs.odt())
    write(os.path.join(out, 'edxml', 'mime.edxml'), docs.edxml())


def archives(out):
    pdf = docs.pdf()
    members = [('cv.pdf', pdf), ('kh.docx', docs.docx()), ('a.edxml', docs.edxml())]
    found = {'zip': docs.zip_of(members)}
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    found['tar'] = buf.getvalue()
    found['gzip'] = gzip.compress(pdf)
    found['bzip2'] = bz2.compress(pdf)
    found['xz'] = lzma.compress(pdf)
    found['tnef'] = docs.tnef([(b'cv.pdf', 'Công văn 15.pdf', pdf)])
    for kind, data in found.items():
        write(os.path.join(out, 'archive', kind), bytes([ARCHIVE_KIND[kind]]) + data)


def headers(out):
    # hdrenc_fuzz.c: the value, then after a 0x01 byte the subject.
    values = ['Quyết định 15/QĐ-UBND về việc phê duyệt kế hoạch',
              'cv.pdf: signature-absent', 'plain ASCII value',
              'Kế hoạch 90/KH-BNV\x01[Văn bản đến] V/v gửi, nhận văn bản',
              '=?utf-8?B?Q8O0bmcgdsSDbg==?=\x01Re: Công văn',
              'x' * 200 + ' Trích yếu rất dài ' * 8]
    for i, v in enumerate(values):
        write(os.path.join(out, 'hdrenc', 'h%d' % i), v.encode('utf-8'))


def rules(out):
    for path in [os.path.join(top, 'rules', 'default.rules')] + \
            sorted(glob.glob(os.path.join(top, 'contrib', 'rules', '*.rules'))):
        shutil.copy(path, os.path.join(out, 'rules', os.path.basename(path)))


def main():
    out = sys.argv[1]
    for t in ('docx', 'edxml', 'archive', 'facts', 'hdrenc', 'rules'):
        os.makedirs(os.path.join(out, t), exist_ok=True)
    documents(out)
    archives(out)
    headers(out)
    rules(out)


if __name__ == '__main__':
    main()
