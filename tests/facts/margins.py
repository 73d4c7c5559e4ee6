#!/usr/bin/python3
"""margins.py - marks printed in the page headers and footers of DOCX and ODT.

Usage: margins.py OUTDIR DOC_FACTS START

Writes documents whose body has no mark and whose page header or footer
has one (DOCX header1.xml, a first-page header behind w:titlePg, an ODT
master page), and documents whose header holds words that are not marks
(a sentence with "bí mật", a page number, a number and a date of its
own).  Runs doc_facts on each and prints a TAP line per document: the
marks and their sources exactly, and the body's facts untouched by the
header.  Also writes OUTDIR/hdr.eml, a message carrying hdr.docx.
"""
import base64, json, os, subprocess, sys, zipfile
from xml.sax.saxutils import escape

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG = 'http://schemas.openxmlformats.org/package/2006/relationships'
CT = 'application/vnd.openxmlformats-officedocument.wordprocessingml.'

BODY = [
    'BỘ CÔNG AN', '-------', 'Số: 15/BCA-VP', 'V/v bảo đảm an toàn thông tin',
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
    '-------', 'Hà Nội, ngày 5 tháng 3 năm 2024',
    'Kính gửi: Các đơn vị trực thuộc.',
    'Thực hiện chương trình công tác năm, Bộ đề nghị các đơn vị triển khai '
    'các nội dung sau đây.',
    'Nơi nhận:', '- Như trên;', '- Lưu: VT.',
    'KT. BỘ TRƯỞNG', 'THỨ TRƯỞNG', 'Nguyễn Văn Bình',
]

# What the body says, whatever the header holds.
BODY_FACTS = {
    'issuer': 'BỘ CÔNG AN', 'reference': '15/BCA-VP', 'date': '2024-03-05',
    'place': 'Hà Nội', 'summary': 'bảo đảm an toàn thông tin',
    'type_name': 'Công văn',
}

# A header that speaks of secrets, numbers pages and dates itself.
NOT_MARKS = ['Tài liệu bí mật của cơ quan', 'Trang 1',
             'KHẨN TRƯƠNG HOÀN THÀNH KẾ HOẠCH', 'Số: 99/QĐ-UBND',
             'Hải Phòng, ngày 1 tháng 1 năm 2020']


def w_p(t):
    """A Word paragraph; a tab in t becomes w:tab."""
    runs = '<w:r><w:tab/></w:r>'.join(
        '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % escape(s)
        for s in t.split('\t'))
    return '<w:p>%s</w:p>' % runs


def docx(path, parts, refs, title_pg=False):
    """parts: (file, 'header'|'footer', lines); refs: (kind, type, file)."""
    ids = {f: 'rId%d' % (i + 1) for i, (f, _, _) in enumerate(parts)}
    sect = ''.join('<w:%sReference w:type="%s" r:id="%s"/>' % (k, t, ids[f])
                   for k, t, f in refs)
    if title_pg:
        sect += '<w:titlePg/>'
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="%s" xmlns:r="%s"><w:body>%s<w:sectPr>%s'
           '</w:sectPr></w:body></w:document>'
           % (W, R, ''.join(w_p(t) for t in BODY), sect))
    rels = ''.join('<Relationship Id="%s" Type="%s/%s" Target="%s"/>' %
                   (ids[f], R, k, f) for f, k, _ in parts)
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
            '%s</Relationships>' % (PKG, rels))
    over = ''.join('<Override PartName="/word/%s" ContentType="%s%s+xml"/>' %
                   (f, CT, k) for f, k, _ in parts)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml',
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="%s'
                   'document.main+xml"/>%s</Types>' % (CT, over))
        z.writestr('_rels/.rels',
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                   'xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
                   'Target="word/document.xml"/></Relationships>' % (PKG, R))
        z.writestr('word/document.xml', doc)
        z.writestr('word/_rels/document.xml.rels', rels)
        for f, k, lines in parts:
            root = 'hdr' if k == 'header' else 'ftr'
            z.writestr('word/' + f, '<?xml version="1.0" encoding="UTF-8"?>'
                       '<w:%s xmlns:w="%s">%s</w:%s>' %
                       (root, W, ''.join(w_p(t) for t in lines), root))


ODF = {
    'office': 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
    'style': 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
    'text': 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
    'fo': 'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0',
}
ODF_NS = ' '.join('xmlns:%s="%s"' % kv for kv in ODF.items())


def o_p(t):
    return '<text:p>%s</text:p>' % escape(t).replace('\t', '<text:tab/>')


def odt(path, header, footer):
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
               '%s office:version="1.2"><office:body><office:text>%s'
               '</office:text></office:body></office:document-content>'
               % (ODF_NS, ''.join(o_p(t) for t in BODY)))
    styles = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles '
              '%s office:version="1.2"><office:automatic-styles>'
              '<style:page-layout style:name="pm1"><style:page-layout-properties '
              'fo:page-width="21cm"/><style:header-style/></style:page-layout>'
              '</office:automatic-styles><office:master-styles>'
              '<style:master-page style:name="Standard" '
              'style:page-layout-name="pm1"><style:header>%s</style:header>'
              '<style:footer>%s</style:footer></style:master-page>'
              '</office:master-styles></office:document-styles>'
              % (ODF_NS, ''.join(o_p(t) for t in header),
                 ''.join(o_p(t) for t in footer)))
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'),
                   'application/vnd.oasis.opendocument.text')
        z.writestr('META-INF/manifest.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                   'manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.'
                   'text"/></manifest:manifest>')
        z.writestr('content.xml', content, zipfile.ZIP_DEFLATED)
        z.writestr('styles.xml', styles, zipfile.ZIP_DEFLATED)


def marks(secrecy=None, urgency=None, circulation=None):
    """The marks wanted, each (value, source) or None."""
    return {'secrecy': secrecy, 'urgency': urgency, 'circulation': circulation}


# name, writer, marks wanted, sentence.
CASES = [
    ('hdr.docx', lambda p: docx(p, [('header1.xml', 'header', ['MẬT'])],
                                [('header', 'default', 'header1.xml')]),
     marks(secrecy=('MẬT', 'page_header')),
     'a DOCX whose only MẬT is in its page header (header1.xml) is secret'),
    ('first.docx', lambda p: docx(
        p, [('header1.xml', 'header', ['BỘ CÔNG AN', 'Trang 2']),
            ('header2.xml', 'header', ['TỐI MẬT'])],
        [('header', 'default', 'header1.xml'),
         ('header', 'first', 'header2.xml')], title_pg=True),
     marks(secrecy=('TỐI MẬT', 'page_header')),
     'a DOCX with TỐI MẬT in its first-page header (w:titlePg) is secret'),
    ('hdr.odt', lambda p: odt(p, ['MẬT'], ['Trang 1']),
     marks(secrecy=('MẬT', 'page_header')),
     'an ODT with MẬT in its master page header is secret'),
    ('tab.docx', lambda p: docx(
        p, [('header1.xml', 'header', ['BỘ CÔNG AN\tKHẨN']),
            ('footer1.xml', 'footer', ['XEM XONG TRẢ LẠI\tTrang 1'])],
        [('header', 'default', 'header1.xml'),
         ('footer', 'default', 'footer1.xml')]),
     marks(urgency=('KHẨN', 'page_header'),
           circulation=('XEM XONG TRẢ LẠI', 'page_footer')),
     'a mark after a tab in a DOCX header, and one in its footer, are read'),
    ('neg.docx', lambda p: docx(
        p, [('header1.xml', 'header', NOT_MARKS),
            ('footer1.xml', 'footer', NOT_MARKS)],
        [('header', 'default', 'header1.xml'),
         ('footer', 'default', 'footer1.xml')]),
     marks(),
     'a DOCX header and footer with "bí mật" in a sentence, a page number, '
     'a number and a date give no mark and leave the body\'s facts alone'),
    ('neg.odt', lambda p: odt(p, NOT_MARKS, NOT_MARKS), marks(),
     'an ODT master page with "bí mật" in a sentence gives no mark and '
     'leaves the body\'s facts alone'),
]


def check(tool, path, want):
    """The differences from what is wanted, as sentences."""
    r = subprocess.run([tool, path], capture_output=True, text=True)
    try:
        facts = json.loads(r.stdout)['facts']
    except ValueError:
        return ['status %d, no JSON: %s' % (r.returncode, r.stderr[-200:])]
    bad = []
    for f, v in list(want.items()) + list(BODY_FACTS.items()):
        value, src = v if isinstance(v, tuple) else (v, 'text')
        got = (facts.get(f), facts['sources'].get(f))
        if got != (value, src if value is not None else None):
            bad.append('%s is %r from %r, want %r from %r' %
                       (f, got[0], got[1], value, src))
    return bad


def eml(out):
    with open(os.path.join(out, 'hdr.docx'), 'rb') as f:
        b64 = base64.encodebytes(f.read()).decode().replace('\n', '\r\n')
    msg = ('From: Van thu <vanthu@bca.example.gov.vn>\r\n'
           'To: vanthu@so.example.gov.vn\r\nSubject: Cong van 15\r\n'
           'MIME-Version: 1.0\r\n'
           'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
           'Content-Type: text/plain; charset=utf-8\r\n\r\nKinh gui.\r\n--B\r\n'
           'Content-Type: application/vnd.openxmlformats-officedocument.'
           'wordprocessingml.document; name="15-BCA-VP.docx"\r\n'
           'Content-Disposition: attachment; filename="15-BCA-VP.docx"\r\n'
           'Content-Transfer-Encoding: base64\r\n\r\n' + b64 + '--B--\r\n')
    with open(os.path.join(out, 'hdr.eml'), 'w', newline='') as f:
        f.write(msg)


def main():
    out, tool, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    for name, write, want, sentence in CASES:
        path = os.path.join(out, name)
        write(path)
        bad = check(tool, path, want)
        print('%s %d - %s' % ('not ok' if bad else 'ok', n, sentence))
        for b in bad:
            print('# %s: %s' % (name, b))
        n += 1
    eml(out)


if __name__ == '__main__':
    main()
