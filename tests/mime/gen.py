#!/usr/bin/env python3
"""gen.py OUTDIR - write the MIME corpus and what vanthu must find in it.

Every case is a message OUTDIR/<id>.eml plus an entry in OUTDIR/cases.json:
the exact documents (name, sha256, size, type, kind, declared_type, part,
origin, origin_detail) and skipped parts (part, name, reason) that
`mime_walk` must print.  Real types come from file(1) as the oracle (the
same libmagic database); kinds, names, parts and reasons are written by hand.
Needs python3, file, openssl, zip-free: archives come from zipfile and from
build/tests/tools/mk7z (libarchive).
"""
import base64
import bz2
import gzip
import hashlib
import io
import json
import lzma
import os
import subprocess
import sys
import tarfile
import unicodedata
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docs  # noqa: E402

OUT = sys.argv[1]
BUILD = os.environ.get("VANTHU_BUILD", "build")
CASES = []
_types = {}


def real_type(data):
    h = hashlib.sha256(data).hexdigest()
    if h not in _types:
        _types[h] = subprocess.run(
            ["file", "--mime-type", "-b", "-"], input=data,
            capture_output=True, check=True).stdout.decode().strip()
    return _types[h]


def D(data, name, part, kind, declared, origin="attachment", detail=None):
    return {"name": name, "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data), "type": real_type(data), "kind": kind,
            "declared_type": declared, "part": part, "origin": origin,
            "origin_detail": detail}


def S(part, name, reason):
    return {"part": part, "name": name, "reason": reason}


def case(cid, sentence, msg, documents=(), skipped=(), **extra):
    path = os.path.join(OUT, cid + ".eml")
    with open(path, "wb") as f:
        f.write(msg)
    c = {"id": cid, "sentence": sentence, "file": path,
         "documents": list(documents), "skipped": list(skipped)}
    c.update(extra)
    CASES.append(c)


def b64(data):
    return base64.encodebytes(data)


HDR = (b"From: =?utf-8?Q?V=C4=83n_th=C6=B0?= <vanthu@bnv.gov.vn>\r\n"
       b"To: vanthu@hanoi.gov.vn\r\nSubject: test\r\n"
       b"Date: Mon, 2 Mar 2026 08:00:00 +0700\r\nMIME-Version: 1.0\r\n")


def part(headers, body):
    if isinstance(headers, str):
        headers = headers.encode()
    h = b"".join(line + b"\r\n" for line in headers.split(b"\n") if line)
    return h + b"\r\n" + body


def multipart(boundary, parts, subtype="mixed", extra=b"", close=True,
              top=True):
    b = boundary.encode()
    out = (HDR if top else b"")
    out += (b"Content-Type: multipart/" + subtype.encode() +
            b'; boundary="' + b + b'"\r\n' + extra + b"\r\n")
    out += b"This is a multi-part message in MIME format.\r\n"
    for p in parts:
        out += b"\r\n--" + b + b"\r\n" + p
    if close:
        out += b"\r\n--" + b + b"--\r\n"
    return out


TEXT = part("Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit",
            "Kính gửi: Văn thư.\r\n".encode())


def attach(data, ctype, filename_hdr, enc="base64"):
    body = b64(data) if enc == "base64" else data
    return part("Content-Type: %s\nContent-Transfer-Encoding: %s\n"
                "Content-Disposition: attachment; %s"
                % (ctype, enc, filename_hdr), body)


PDF = docs.pdf()
PDF2 = docs.pdf("Cong van so 05/BNV-VP")


def cp1258(s):
    """Vietnamese in windows-1258: tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in s:
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d
                                                    if c not in tones))
        out += base.encode("cp1258")
        out += "".join(c for c in d if c in tones).encode("cp1258")
    return out


def qword(charset, data):
    q = "".join(chr(c) if (chr(c).isalnum() and c < 128) else "=%02X" % c
                for c in data)
    return "=?%s?Q?%s?=" % (charset, q)


def gen_basic():
    case("plain", "a message without attachment gives nothing",
         HDR + b"Content-Type: text/plain; charset=utf-8\r\n\r\nXin chao\r\n")
    alt = multipart("alt", [TEXT, part("Content-Type: text/html",
                                       b"<p>Xin chao</p>")],
                    subtype="alternative")
    case("alternative", "text and html bodies are not documents", alt)
    case("mbox_single",
         "a single-part PDF message after an mbox From line is part 1",
         b"From vanthu@bnv.gov.vn Mon Mar  2 08:00:00 2026\n" + HDR +
         b"Content-Type: application/pdf; name=\"qd.pdf\"\r\n"
         b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(PDF),
         [D(PDF, "qd.pdf", "1", "pdf", "application/pdf")])
    name = "Quyết định 15.pdf"
    m = multipart("b1", [TEXT, attach(PDF, "application/pdf",
                                      "filename*=utf-8''" +
                                      "".join("%%%02X" % c for c in
                                              name.encode()))])
    case("rfc2231", "an RFC 2231 utf-8 file name is decoded", m,
         [D(PDF, name, "2", "pdf", "application/pdf")])
    n1, n2 = "Công văn ", "số 05.pdf"
    cont = ("filename*0*=utf-8''" + "".join("%%%02X" % c for c in n1.encode())
            + ";\n filename*1*=" + "".join("%%%02X" % c for c in
                                           "số ".encode())
            + ';\n filename*2="05.pdf"')
    m = multipart("b2", [TEXT, attach(PDF, "application/pdf", cont)])
    case("rfc2231_cont", "RFC 2231 continuations are joined and decoded",
         m, [D(PDF, n1 + n2, "2", "pdf", "application/pdf")])
    m = multipart("b3", [TEXT, part(
        "Content-Type: application/pdf;\n name=\"%s\"\n"
        "Content-Transfer-Encoding: base64" %
        qword("utf-8", "Tờ trình.pdf".encode()), b64(PDF))])
    case("rfc2047_q", "an RFC 2047 Q name in Content-Type is decoded", m,
         [D(PDF, "Tờ trình.pdf", "2", "pdf", "application/pdf")])
    bword = "=?UTF-8?B?%s?=" % base64.b64encode(
        "Báo cáo".encode()).decode()
    bword2 = "=?UTF-8?B?%s?=" % base64.b64encode(" tháng 3.pdf".encode()
                                                 ).decode()
    m = multipart("b4", [TEXT, attach(PDF, "application/pdf",
                                      'filename="%s\n %s"' % (bword, bword2))])
    case("rfc2047_b", "adjacent RFC 2047 B words join without the blank", m,
         [D(PDF, "Báo cáo tháng 3.pdf", "2", "pdf", "application/pdf")])
    vn = "Kế hoạch số 5 - Hà Nội.pdf"
    m = multipart("b5", [TEXT, attach(PDF, "application/pdf",
                                      'filename="%s"' %
                                      qword("windows-1258", cp1258(vn)))])
    case("cp1258_2047", "a windows-1258 name keeps its last character", m,
         [D(PDF, vn, "2", "pdf", "application/pdf")])
    vn2 = "Giấy mời họp"
    m = multipart("b6", [TEXT, attach(PDF, "application/pdf",
                                      "filename*=windows-1258'vi'" +
                                      "".join("%%%02X" % c for c in
                                              cp1258(vn2)))])
    case("cp1258_2231", "an RFC 2231 windows-1258 name is converted", m,
         [D(PDF, vn2, "2", "pdf", "application/pdf")])
    m = multipart("b7", [TEXT, attach(PDF, "application/pdf",
                                      'filename="=?iso-8859-1?Q?R=E9sum=E9'
                                      '.pdf?="')])
    case("latin1", "an iso-8859-1 name is converted", m,
         [D(PDF, "Résumé.pdf", "2", "pdf", "application/pdf")])


def gen_kinds():
    kinds = [("cv.docx", docs.docx(), "docx", "application/vnd.openxml"
              "formats-officedocument.wordprocessingml.document"),
             ("cv.doc", docs.doc(), "doc", "application/msword"),
             ("cv.odt", docs.odt(), "odt",
              "application/vnd.oasis.opendocument.text"),
             ("bang.xlsx", docs.xlsx(), "xlsx", "application/octet-stream"),
             ("bang.xls", docs.xls(), "xls", "application/vnd.ms-excel"),
             ("bang.ods", docs.ods(), "ods", "application/octet-stream"),
             ("cv.rtf", docs.rtf(), "rtf", "application/rtf"),
             ("scan.png", docs.png(), "image", "image/png"),
             ("scan.jpg", docs.jpeg(), "image", "image/jpeg"),
             ("scan.tif", docs.tiff(), "image", "image/tiff"),
             ("goi.edxml", docs.edxml(), "edxml", "application/xml")]
    parts, want = [TEXT], []
    for i, (name, data, kind, declared) in enumerate(kinds):
        parts.append(attach(data, declared, 'filename="%s"' % name))
        want.append(D(data, name, str(i + 2), kind, declared))
    n = len(parts)
    parts.append(attach(docs.edxml(), "text/xml", 'filename="goi tin.xml"'))
    want.append(D(docs.edxml(), "goi tin.xml", str(n + 1), "edxml",
                  "text/xml"))
    xml = b'<?xml version="1.0"?>\n<data><x>1</x></data>\n'
    parts.append(attach(xml, "text/xml", 'filename="data.xml"'))
    skipped = [S(str(n + 2), "data.xml", "unsupported: " + real_type(xml))]
    case("kinds", "every document kind is recognised from its bytes",
         multipart("kinds", parts), want, skipped)
    exe = docs.pe()
    m = multipart("exe", [TEXT, attach(exe, "application/pdf",
                                       'filename="bao-cao.pdf"')])
    case("exe_as_pdf", "an executable named .pdf is known by its real type, for the rules "
         "to refuse it", m, [D(exe, "bao-cao.pdf", "2", "program", "application/pdf")])
    txt = "Ghi chú\r\n".encode()
    m = multipart("txt", [TEXT, attach(txt, "text/plain; charset=utf-8",
                                       'filename="ghichu.txt"')])
    case("text_attachment", "a named text attachment is passed over", m, [],
         [S("2", "ghichu.txt", "unsupported: text/plain")])
    rel = multipart("rel", [
        part("Content-Type: text/html", b"<img src=cid:logo>"),
        part("Content-Type: image/png\nContent-ID: <logo>\n"
             "Content-Transfer-Encoding: base64", b64(docs.png()))],
        subtype="related")
    case("inline_image", "an image the HTML body shows is no document", rel,
         [], [S("2", None, "body: inline image")])
    # Outlook: a named logo inside related; a scan attached there; an
    # image without Content-ID; one with it outside multipart/related.
    png, jpg = docs.png(), docs.jpeg()
    rel = multipart("rel2", [
        part("Content-Type: text/html", b"<img src=cid:image001.png@01DA>"),
        part("Content-Type: image/png; name=image001.png\n"
             "Content-Disposition: inline; filename=image001.png\n"
             "Content-ID: <image001.png@01DA>\n"
             "Content-Transfer-Encoding: base64", b64(png)),
        attach(jpg, "image/jpeg", 'filename="scan.jpg"\nContent-ID: <s1>'),
        part("Content-Type: image/png\nContent-Transfer-Encoding: base64",
             b64(png))],
        subtype="related", top=False)
    m = multipart("mix", [rel, part("Content-Type: image/jpeg\n"
                                    "Content-ID: <s2>\n"
                                    "Content-Transfer-Encoding: base64",
                                    b64(jpg))])
    case("inline_image_edges", "only a related image with a Content-ID "
         "and no attachment disposition is body", m,
         [D(jpg, "scan.jpg", "1.3", "image", "image/jpeg"),
          D(png, None, "1.4", "image", "image/png", "inline"),
          D(jpg, None, "2", "image", "image/jpeg", "inline")],
         [S("1.2", "image001.png", "body: inline image")])
    # Body only when the HTML names it: the HTML sits in an alternative,
    # quoted-printable with a soft break inside one reference, another in
    # CSS, upper case and percent-encoded; a scan with a Content-ID the
    # HTML never names is a document, and so is one only an attached
    # HTML file names.
    html = (b'<p><img src=3D"cid:image1@x=\r\n.vn"></p>\r\n'
            b'<div style=3D"background:url(CID:Logo%40X.VN)">\r\n')
    alt = multipart("alt", [
        part("Content-Type: text/plain", b"Kinh gui"),
        part("Content-Type: text/html; charset=utf-8\n"
             "Content-Transfer-Encoding: quoted-printable", html)],
        subtype="alternative", top=False)
    scan = docs.jpeg() + b"scan"
    rel = multipart("rel3", [
        alt,
        part("Content-Type: image/png\nContent-ID: <image1@x.vn>\n"
             "Content-Transfer-Encoding: base64", b64(png)),
        part("Content-Type: image/png\nContent-ID:\n < logo@x.vn >\n"
             "Content-Transfer-Encoding: base64", b64(png)),
        part("Content-Type: image/jpeg\nContent-ID: <scan@x.vn>\n"
             "Content-Disposition: inline\n"
             "Content-Transfer-Encoding: base64", b64(scan)),
        attach(b'<!DOCTYPE html>\n<html><body><img src="cid:scan2@x.vn">'
               b'</body></html>\n', "text/html",
               'filename="trang.html"'),
        part("Content-Type: image/jpeg\nContent-ID: <scan2@x.vn>\n"
             "Content-Transfer-Encoding: base64", b64(jpg))],
        subtype="related")
    case("inline_image_refs", "a related image is body only when the "
         "HTML names its Content-ID", rel,
         [D(scan, None, "4", "image", "image/jpeg", "inline"),
          D(jpg, None, "6", "image", "image/jpeg", "inline")],
         [S("2", None, "body: inline image"),
          S("3", None, "body: inline image"),
          S("5", "trang.html", "unsupported: text/html")])
    # Hard line breaks decode to CRLF, soft ones (=CRLF) vanish.
    rtf = docs.rtf().replace(b"\n", b"\r\n")
    qp = rtf.replace(b"\\par", b"\\par=\r\n")
    m = multipart("qp", [TEXT, attach(qp, "application/rtf",
                                      'filename="qp.rtf"',
                                      enc="quoted-printable")])
    case("quoted_printable", "a quoted-printable attachment is decoded", m,
         [D(rtf, "qp.rtf", "2", "rtf", "application/rtf")])
    m = multipart("uu", [TEXT, attach(PDF, "application/pdf",
                                      'filename="a.pdf"', enc="x-uuencode")])
    case("uuencode", "an unknown transfer encoding is reported", m, [],
         [S("2", "a.pdf", "unsupported: transfer encoding x-uuencode")])
    m = multipart("dup", [TEXT,
                          attach(PDF, "application/pdf", 'filename="a.pdf"'),
                          attach(PDF, "application/pdf", 'filename="b.pdf"')])
    case("duplicate", "the same document twice is listed twice", m,
         [D(PDF, "a.pdf", "2", "pdf", "application/pdf"),
          D(PDF, "b.pdf", "3", "pdf", "application/pdf")])
    p7s = subprocess.run(
        ["openssl", "cms", "-sign", "-binary", "-outform", "DER", "-signer",
         CERT, "-inkey", KEY], input=PDF, capture_output=True,
        check=True).stdout
    m = multipart("p7s", [TEXT,
                          attach(PDF, "application/pdf", 'filename="qd.pdf"'),
                          attach(p7s, "application/octet-stream",
                                 'filename="qd.pdf.p7s"')])
    case("detached_sig", "a detached .p7s signature is a signature document",
         m, [D(PDF, "qd.pdf", "2", "pdf", "application/pdf"),
             D(p7s, "qd.pdf.p7s", "3", "signature",
               "application/octet-stream")])


def gen_names():
    m = multipart("path", [TEXT,
                           attach(PDF, "application/pdf",
                                  'filename="../../etc/passwd"'),
                           attach(PDF2, "application/pdf",
                                  'filename="C:\\\\Users\\\\vt\\\\qd.pdf"')])
    case("path_names", "a name never becomes a path", m,
         [D(PDF, "passwd", "2", "pdf", "application/pdf"),
          D(PDF2, "qd.pdf", "3", "pdf", "application/pdf")])
    m = multipart("nul", [TEXT,
                          attach(PDF, "application/pdf",
                                 "filename*=utf-8''a%00b.pdf"),
                          attach(PDF2, "application/pdf",
                                 'filename="c\0d.pdf"')])
    case("nul_names", "NUL bytes in names become U+FFFD", m,
         [D(PDF, "a\ufffdb.pdf", "2", "pdf", "application/pdf"),
          D(PDF2, "c\ufffdd.pdf", "3", "pdf", "application/pdf")])
    raw = ('Content-Type: application/pdf\nContent-Transfer-Encoding: base64'
           '\nContent-Disposition: attachment; filename="').encode() + \
        b"B\xe1o c\xe1o \xff.pdf" + b'"'
    inner = (b"Subject: Fwd: c\xf4ng v\xe3n\r\nMIME-Version: 1.0\r\n"
             b"Content-Type: application/pdf; name=\"x.pdf\"\r\n"
             b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(PDF2))
    m = multipart("bad8", [TEXT, part(raw, b64(PDF)),
                           part("Content-Type: message/rfc822", inner)])
    case("invalid_utf8", "invalid UTF-8 in headers shows as U+FFFD", m,
         [D(PDF, "B\ufffdo c\ufffdo \ufffd.pdf", "2", "pdf",
            "application/pdf"),
          D(PDF2, "x.pdf", "3.1", "pdf", "application/pdf", "forwarded",
            "Fwd: c\ufffdng v\ufffdn")])
    raw = ('Content-Type: application/pdf\nContent-Transfer-Encoding: base64'
           '\nContent-Disposition: attachment; filename=Quyết định số 5.pdf'
           '; size=15').encode()
    raw2 = ('Content-Type: application/pdf; name="Tờ trình.pdf\n'
            'Content-Transfer-Encoding: base64').encode()
    m = multipart("unq", [TEXT, part(raw, b64(PDF)), part(raw2, b64(PDF2))])
    case("unquoted_names", "unquoted 8-bit names and open quotes are read "
         "whole", m,
         [D(PDF, "Quyết định số 5.pdf", "2", "pdf", "application/pdf"),
          D(PDF2, "Tờ trình.pdf", "3", "pdf", "application/pdf")])
    bidi = "\u202efdp.exe"
    m = multipart("bidi", [TEXT, attach(PDF, "application/pdf",
                                        "filename*=utf-8''" +
                                        "".join("%%%02X" % c for c in
                                                bidi.encode()))])
    case("bidi_name", "a right-to-left override in a name is neutralised", m,
         [D(PDF, "\ufffdfdp.exe", "2", "pdf", "application/pdf")])


def gen_structure():
    subj = "Fwd: Công văn số 05/BNV-VP"
    inner = ("Subject: =?utf-8?B?%s?=\r\n" % base64.b64encode(
        subj.encode()).decode()).encode() + multipart(
        "in", [TEXT, attach(PDF2, "application/pdf", 'filename="cv05.pdf"')],
        top=False)
    m = multipart("fw", [TEXT, part("Content-Type: message/rfc822", inner),
                         attach(PDF, "application/pdf", 'filename="qd.pdf"')])
    case("forwarded", "a forwarded message's documents carry its subject", m,
         [D(PDF2, "cv05.pdf", "2.2", "pdf", "application/pdf", "forwarded",
            subj),
          D(PDF, "qd.pdf", "3", "pdf", "application/pdf")])
    m = multipart("fw64", [TEXT, part("Content-Type: message/rfc822\n"
                                      "Content-Transfer-Encoding: base64",
                                      b64(inner))])
    case("forwarded_base64", "a base64-encoded forwarded message is walked",
         m, [D(PDF2, "cv05.pdf", "2.2", "pdf", "application/pdf",
               "forwarded", subj)])
    # A saved message attached under another type: libmagic says
    # message/rfc822 when From comes first, text/plain when Subject does.
    saved = b"From: vanthu@bnv.gov.vn\r\nMIME-Version: 1.0\r\n" + inner
    assert real_type(saved) == "message/rfc822"
    assert real_type(inner) == "text/plain"
    m = multipart("fweml", [TEXT,
                            attach(saved, "application/octet-stream",
                                   'filename="cv05.eml"'),
                            attach(inner, "text/plain",
                                   'filename="chuyen tiep.eml"')])
    case("forwarded_saved", "a forwarded .eml attached as "
         "application/octet-stream or text/plain is walked by its bytes", m,
         [D(PDF2, "cv05.pdf", "2.2", "pdf", "application/pdf", "forwarded",
            subj),
          D(PDF2, "cv05.pdf", "3.2", "pdf", "application/pdf", "forwarded",
            subj)])
    single = (b"MIME-Version: 1.0\r\nSubject: qd\r\nContent-Type: "
              b"application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
              b"\r\n" + b64(PDF))
    notes = b"Subject: ghi chu\r\nTo: ai do\r\n\r\nkhong phai thu\r\n"
    z = docs.zip_of([("thu.eml", saved)])
    m = multipart("fweml2", [TEXT,
                             attach(single, "application/octet-stream",
                                    'filename="qd"'),
                             attach(notes, "text/plain",
                                    'filename="ghichu.txt"'),
                             attach(z, "application/zip",
                                    'filename="thu.zip"')])
    case("forwarded_saved_edges", "a saved message needs a MIME field to "
         "be walked; one inside an archive is one level too deep", m,
         [D(PDF, None, "2.1", "pdf", "application/pdf", "forwarded", "qd")],
         [S("3", "ghichu.txt", "unsupported: text/plain"),
          S("4", "thu.eml", "limit: archive depth")])
    long_subj = "ế" * 400
    inner_long = ("Subject: =?utf-8?B?%s?=\r\n" % base64.b64encode(
        long_subj.encode()).decode()).encode() + \
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: " \
        b"base64\r\n\r\n" + b64(PDF)
    m = multipart("fwlong", [TEXT, part("Content-Type: message/rfc822",
                                        inner_long)])
    case("forwarded_long_subject", "a long forwarded subject is cut at a "
         "character boundary", m,
         [D(PDF, None, "2.1", "pdf", "application/pdf", "forwarded",
            "ế" * 332)])
    dig = multipart("dg", [part("", inner)], subtype="digest")
    case("digest", "a digest's parts default to message/rfc822", dig,
         [D(PDF2, "cv05.pdf", "1.2", "pdf", "application/pdf", "forwarded",
            subj)])
    # 50,000 nested message/rfc822 parts (libetpan overflows its stack).
    n = 50000
    msg = (b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: "
           b"base64\r\n\r\n" + b64(PDF))
    head = b"Subject: x\r\nContent-Type: message/rfc822\r\n\r\n"
    msg = HDR + head * n + msg
    case("nested_rfc822", "50,000 nested forwarded messages stop at the "
         "depth limit", msg, [],
         [S("1" + ".1" * 10, None, "limit: max depth")], max_seconds=5)
    # The same nesting with saved messages sent as application/octet-stream.
    head = b"MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n\r\n"
    msg = HDR + head * n + b"Content-Type: application/pdf\r\n" \
        b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(PDF)
    case("nested_saved", "50,000 nested saved messages stop at the depth "
         "limit", msg, [],
         [S("1" + ".1" * 10, None, "limit: max depth")], max_seconds=5)
    # 20,000 nested multiparts (libetpan spends 30 s on them).
    n = 20000
    out = [HDR]
    for i in range(n):
        out.append(b'Content-Type: multipart/mixed; boundary="n%d"\r\n\r\n'
                   b"--n%d\r\n" % (i, i))
    out.append(b"Content-Type: text/plain\r\n\r\nx\r\n")
    for i in reversed(range(n)):
        out.append(b"--n%d--\r\n" % i)
    case("nested_multipart", "20,000 nested multiparts stop at the depth "
         "limit", b"".join(out), [],
         [S("1" + ".1" * 9, None, "limit: max depth")], max_seconds=5)
    m = HDR + (b'Content-Type: multipart/mixed; boundary="\\""\r\n\r\n'
               b'--"\r\nContent-Type: text/plain\r\n\r\nx\r\n--"--\r\n')
    case("bad_boundary", 'boundary="\\"" is refused, not overflowed', m, [],
         [S("0", None, "malformed: bad boundary")])
    m = HDR + (b"Content-Type: multipart/mixed\r\n\r\npreamble\r\n"
               b"--x\r\nContent-Type: application/pdf\r\n\r\n" + PDF)
    case("no_boundary", "a multipart without boundary is malformed", m, [],
         [S("0", None, "malformed: multipart without boundary")])
    m = HDR + (b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n'
               b"only a preamble\r\n")
    case("no_parts", "a multipart without delimiter is malformed", m, [],
         [S("0", None, "malformed: multipart without parts")])
    m = HDR + (b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n'
               b"--zz--\r\n")
    case("only_close", "a multipart with only its closing delimiter is "
         "malformed", m, [], [S("0", None, "malformed: multipart without parts")])
    cut = b64(PDF)[:-7]
    m = multipart("cut", [TEXT, part(
        'Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n'
        'Content-Disposition: attachment; filename="cut.pdf"', cut)])
    case("truncated_base64", "truncated base64 is reported as malformed", m,
         [], [S("2", "cut.pdf", "malformed: truncated base64")])
    m = multipart("open", [TEXT, attach(PDF, "application/pdf",
                                        'filename="qd.pdf"')], close=False)
    case("no_close", "a missing closing boundary still yields the document",
         m, [D(PDF, "qd.pdf", "2", "pdf", "application/pdf")])
    m = multipart("zero", [TEXT, attach(b"", "application/pdf",
                                        'filename="empty.pdf"')])
    case("empty_part", "a 0-byte part is passed over as empty", m, [],
         [S("2", "empty.pdf", "unsupported: application/x-empty")])
    m = multipart("big", [TEXT, part(
        "Content-Type: application/pdf\nContent-Length: 200000000\n"
        "Content-Transfer-Encoding: base64\n"
        'Content-Disposition: attachment; filename="big.pdf"; size=200000000',
        b64(PDF))])
    case("declared_200mb", "a part declaring 200 MB is read for its real size",
         m, [D(PDF, "big.pdf", "2", "pdf", "application/pdf")])
    large = PDF + os.urandom(30 * 1024 * 1024)
    m = multipart("large", [TEXT, attach(large, "application/pdf",
                                         'filename="large.pdf"')])
    case("large_30mb", "a genuine 30 MB part stays within time and memory",
         m, [D(large, "large.pdf", "2", "pdf", "application/pdf")],
         max_seconds=30, max_rss_mb=600)
    parts = [attach(PDF, "application/pdf", 'filename="p%d.pdf"' % i)
             for i in range(5000)]
    want = [D(PDF, "p%d.pdf" % i, str(i + 1), "pdf", "application/pdf")
            for i in range(999)]
    case("parts_5000", "5,000 parts are capped at max_parts", multipart(
        "many", parts), want, [S("1000", None, "limit: max parts")],
        max_seconds=10)


def zip_raw_names(entries):
    """A zip whose names are the given bytes, without the UTF-8 flag (as
    zip tools on Windows write them in the machine's code page)."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        for i, (name, data) in enumerate(entries):
            z.writestr("N%03d" % i + "x" * (len(name) - 4), data)
    out = b.getvalue()
    for i, (name, data) in enumerate(entries):
        placeholder = ("N%03d" % i + "x" * (len(name) - 4)).encode()
        assert out.count(placeholder) == 2   # local and central headers
        out = out.replace(placeholder, name)
    return out


def gen_archives():
    txt = b"ghi chu\n"
    z = zip_raw_names([(cp1258("Công văn số 5.pdf"), PDF),
                       ("Quyết định số 7.pdf".encode(), PDF2),
                       (b"../../\x81\x8d.pdf", PDF + b"\n")])
    m = multipart("zipcp", [TEXT, attach(z, "application/zip",
                                         'filename="hs.zip"')])
    case("zip_legacy_names", "zip names without the UTF-8 flag: UTF-8 when "
         "they are, else windows-1258", m,
         [D(PDF, "Công văn số 5.pdf", "2", "pdf", None, "archive", "hs.zip"),
          D(PDF2, "Quyết định số 7.pdf", "2", "pdf", None, "archive",
            "hs.zip"),
          D(PDF + b"\n", "\ufffd\ufffd.pdf", "2", "pdf", None, "archive",
            "hs.zip")])
    z = docs.zip_of([("van ban/qd.pdf", PDF), ("cv.docx", docs.docx()),
                     ("ghichu.txt", txt)])
    m = multipart("zip", [TEXT, attach(z, "application/zip",
                                       'filename="ho so.zip"')])
    case("zip", "a zip archive is expanded one level", m,
         [D(PDF, "qd.pdf", "2", "pdf", None, "archive", "ho so.zip"),
          D(docs.docx(), "cv.docx", "2", "docx", None, "archive",
            "ho so.zip")],
         [S("2", "ghichu.txt", "unsupported: text/plain")])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.pdf", b"%PDF-1.4\n" + b"\0" * (50 * 1024 * 1024))
    m = multipart("bomb", [TEXT, attach(bomb.getvalue(), "application/zip",
                                        'filename="bomb.zip"')])
    case("zip_bomb", "a zip bomb stops at the compression ratio limit", m,
         [], [S("2", "bomb.zip", "limit: archive ratio")], max_seconds=10)
    many = [("f%03d.pdf" % i, docs.pdf("so %d" % i)) for i in range(150)]
    z = docs.zip_of(many)
    m = multipart("many", [TEXT, attach(z, "application/zip",
                                        'filename="nhieu.zip"')])
    case("zip_files", "an archive stops at max_archive_files", m,
         [D(d, n, "2", "pdf", None, "archive", "nhieu.zip")
          for n, d in many[:100]],
         [S("2", "nhieu.zip", "limit: archive files")])
    inner = docs.zip_of([("qd.pdf", PDF)])
    z = docs.zip_of([("inner.zip", inner), ("cv.pdf", PDF2)])
    m = multipart("nest", [TEXT, attach(z, "application/zip",
                                        'filename="outer.zip"')])
    case("zip_in_zip", "an archive inside an archive is not expanded", m,
         [D(PDF2, "cv.pdf", "2", "pdf", None, "archive", "outer.zip")],
         [S("2", "inner.zip", "limit: archive depth")])
    pdfp = os.path.join(OUT, "7z.pdf")
    with open(pdfp, "wb") as f:
        f.write(PDF)
    sz = os.path.join(OUT, "a.7z")
    subprocess.run([os.path.join(BUILD, "tests/tools/mk7z"), sz,
                    "qd.pdf", pdfp], check=True)
    seven = open(sz, "rb").read()
    m = multipart("7z", [TEXT, attach(seven, "application/x-7z-compressed",
                                      'filename="hs.7z"')])
    case("7z", "a 7z archive is expanded", m,
         [D(PDF, "qd.pdf", "2", "pdf", None, "archive", "hs.7z")])
    rar = b"Rar!\x1a\x07\x00" + b"\xcf\x90\x73\x00\x00\x0d\x00" + \
        b"\0" * 5 + b"garbage" * 20
    m = multipart("rar", [TEXT, attach(rar, "application/x-rar",
                                       'filename="hs.rar"')])
    case("rar_damaged", "a damaged RAR archive is reported as malformed", m,
         [], [S("2", "hs.rar", "malformed: archive")], reason_prefix=True)
    tgz = io.BytesIO()
    with tarfile.open(fileobj=tgz, mode="w:gz") as t:
        info = tarfile.TarInfo("qd.pdf")
        info.size = len(PDF)
        t.addfile(info, io.BytesIO(PDF))
    m = multipart("tgz", [TEXT, attach(tgz.getvalue(), "application/gzip",
                                       'filename="hs.tar.gz"')])
    case("tar_gz", "a compressed tar is one archive", m,
         [D(PDF, "qd.pdf", "2", "pdf", None, "archive", "hs.tar.gz")])
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w") as t:
        for n, d in (("qd.pdf", PDF), ("../../cv.pdf", PDF2)):
            info = tarfile.TarInfo(n)
            info.size = len(d)
            t.addfile(info, io.BytesIO(d))
    m = multipart("tar", [TEXT, attach(tar.getvalue(), "application/x-tar",
                                       'filename="hs.tar"')])
    case("tar", "a tar is expanded, its paths cut to the last name", m,
         [D(PDF, "qd.pdf", "2", "pdf", None, "archive", "hs.tar"),
          D(PDF2, "cv.pdf", "2", "pdf", None, "archive", "hs.tar")])
    gz = gzip_named(PDF, "qd-goc.pdf")
    m = multipart("gz", [TEXT, attach(gz, "application/gzip",
                                      'filename="qd.pdf.gz"')])
    case("gzip_named", "a gzip'd file takes the name its header keeps", m,
         [D(PDF, "qd-goc.pdf", "2", "pdf", None, "archive", "qd.pdf.gz")])
    gz = gzip_named(PDF, None)
    m = multipart("gz", [TEXT, attach(gz, "application/octet-stream",
                                      'filename="QD.PDF.GZ"')])
    case("gzip_unnamed", "a gzip'd file with no name in its header is "
         "named after the attachment", m,
         [D(PDF, "QD.PDF", "2", "pdf", None, "archive", "QD.PDF.GZ")])
    m = multipart("gz", [TEXT, attach(gz, "application/gzip",
                                      'filename="vanban"')])
    case("gzip_no_ending", "a gzip'd file named with no ending has no name",
         m, [D(PDF, None, "2", "pdf", None, "archive", "vanban")])
    m = multipart("gz", [TEXT, attach(gzip_named(gz, None), "application/gzip",
                                      'filename="qd.pdf.gz.gz"')])
    case("gzip_twice", "a file gzip'd twice is one archive", m,
         [D(PDF, "qd.pdf.gz", "2", "pdf", None, "archive", "qd.pdf.gz.gz")])
    m = multipart("xz", [
        TEXT,
        attach(lzma.compress(PDF), "application/x-xz", 'filename="qd.pdf.xz"'),
        attach(bz2.compress(PDF2), "application/x-bzip2",
               'filename="cv.pdf.bz2"'),
        attach(zstd_raw(PDF), "application/zstd", 'filename="qd.pdf.zst"')])
    case("xz_bzip2_zstd", "xz, bzip2 and zstd files are expanded", m,
         [D(PDF, "qd.pdf", "2", "pdf", None, "archive", "qd.pdf.xz"),
          D(PDF2, "cv.pdf", "3", "pdf", None, "archive", "cv.pdf.bz2"),
          D(PDF, "qd.pdf", "4", "pdf", None, "archive", "qd.pdf.zst")])
    m = multipart("lz", [
        TEXT,
        attach(lzma.compress(PDF, format=lzma.FORMAT_ALONE),
               "application/x-lzma", 'filename="qd.pdf.lzma"'),
        attach(by_tool(["lzip", "-c"], PDF2), "application/octet-stream",
               'filename="cv.pdf.lz"'),
        attach(by_tool(["lz4", "-c"], PDF), "application/octet-stream",
               'filename="qd.pdf.lz4"'),
        attach(by_tool(["compress", "-c"], PDF2), "application/octet-stream",
               'filename="CV.PDF.Z"')])
    case("lzma_lzip_lz4_compress",
         "lzma, lzip, lz4 and compress (.Z) files are expanded", m,
         [D(PDF, "qd.pdf", "2", "pdf", None, "archive", "qd.pdf.lzma"),
          D(PDF2, "cv.pdf", "3", "pdf", None, "archive", "cv.pdf.lz"),
          D(PDF, "qd.pdf", "4", "pdf", None, "archive", "qd.pdf.lz4"),
          D(PDF2, "CV.PDF", "5", "pdf", None, "archive", "CV.PDF.Z")])
    bomb = by_tool(["lz4", "-c"], b"%PDF-1.4\n" + b"\0" * (50 * 1024 * 1024))
    m = multipart("lz", [TEXT, attach(bomb, "application/octet-stream",
                                      'filename="bomb.pdf.lz4"')])
    case("lz4_bomb", "an lz4 bomb stops at the compression ratio limit", m,
         [], [S("2", "bomb.pdf.lz4", "limit: archive ratio")], max_seconds=10)
    text = "Kính gửi: Văn thư.\n".encode() * 10
    m = multipart("gz", [TEXT, attach(gzip_named(text, None),
                                      "application/gzip",
                                      'filename="ghichu.txt.gz"')])
    case("gzip_text", "what a gzip'd file holds is typed by its bytes", m,
         [], [S("2", "ghichu.txt", "unsupported: " + real_type(text))])
    z = docs.zip_of([("qd.pdf", PDF)])
    m = multipart("gz", [TEXT, attach(gzip_named(z, None), "application/gzip",
                                      'filename="hs.zip.gz"')])
    case("zip_in_gzip", "an archive inside a gzip'd file is not expanded", m,
         [], [S("2", "hs.zip", "limit: archive depth")])
    bomb = gzip_named(b"%PDF-1.4\n" + b"\0" * (50 * 1024 * 1024), None)
    m = multipart("gz", [TEXT, attach(bomb, "application/gzip",
                                      'filename="bomb.pdf.gz"')])
    case("gzip_bomb", "a gzip bomb stops at the compression ratio limit", m,
         [], [S("2", "bomb.pdf.gz", "limit: archive ratio")], max_seconds=10)
    gz = gzip_named(PDF, "qd.pdf")
    m = multipart("gz", [TEXT, attach(gz[:len(gz) // 2], "application/gzip",
                                      'filename="qd.pdf.gz"')])
    case("gzip_truncated", "a truncated gzip'd file is reported as malformed",
         m, [], [S("2", "qd.pdf.gz", "malformed: archive")], reason_prefix=True)


def by_tool(argv, data):
    """data compressed by a Debian tool (lzip, lz4, compress) on a pipe."""
    return subprocess.run(argv, input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def gzip_named(data, name):
    """gzip bytes whose header keeps name (or no name: gzip -n)."""
    out = io.BytesIO()
    with gzip.GzipFile(filename=name or "", mode="wb", fileobj=out,
                       mtime=0) as g:
        g.write(data)
    return out.getvalue()


def zstd_raw(data):
    """A zstd frame of raw (stored) blocks: the format, with no encoder."""
    out = b"\x28\xb5\x2f\xfd" + bytes([0xa0]) + len(data).to_bytes(4, "little")
    blocks = [data[i:i + 65536] for i in range(0, len(data), 65536)] or [b""]
    for i, b in enumerate(blocks):
        last = 1 if i == len(blocks) - 1 else 0
        out += (last | len(b) << 3).to_bytes(3, "little") + b
    return out


def tnef_checked(attachments, codepage=1258):
    """docs.tnef(), checked with tnef(1), a decoder vanthu does not use:
    it must find every file, with the same bytes."""
    dat = docs.tnef(attachments, codepage)
    d = os.path.join(OUT, "tnef.%d" % len(CASES))
    os.makedirs(d)
    path = os.path.join(d, "winmail.dat")
    with open(path, "wb") as f:
        f.write(dat)
    subprocess.run(["tnef", "--unix-paths", "--overwrite", "-C", d, path],
                   check=True)
    got = sorted(hashlib.sha256(open(os.path.join(d, n), "rb").read())
                 .hexdigest() for n in os.listdir(d) if n != "winmail.dat")
    want = sorted(hashlib.sha256(a[2]).hexdigest() for a in attachments)
    if got != want:
        raise SystemExit("tnef(1) does not read the winmail.dat written "
                         "for case %d" % len(CASES))
    return dat


def gen_tnef():
    dat = tnef_checked([(b"QUYETD~1.PDF", "Quyết định 15.pdf", PDF),
                        (b"CONGVA~1.PDF", cp1258("Công văn số 5.pdf"), PDF2),
                        (b"BAOCAO.PDF", None, PDF)])
    m = multipart("tnef", [TEXT, attach(dat, "application/ms-tnef",
                                        'filename="winmail.dat"')])
    case("tnef", "Outlook's winmail.dat is opened: long names in "
         "Unicode and in its code page, else the 8.3 title", m,
         [D(PDF, "Quyết định 15.pdf", "2", "pdf", None, "archive",
            "winmail.dat"),
          D(PDF2, "Công văn số 5.pdf", "2", "pdf", None, "archive",
            "winmail.dat"),
          D(PDF, "BAOCAO.PDF", "2", "pdf", None, "archive", "winmail.dat")])
    z = docs.zip_of([("qd.pdf", PDF)])
    dat = tnef_checked([(b"../../HS.ZIP", None, z), (b"A.PDF", None, PDF2)],
                       codepage=1252)
    m = multipart("tnef", [TEXT, attach(dat, "application/octet-stream",
                                        'filename="noname"')])
    case("tnef_archive", "an archive in a winmail.dat is not expanded, "
         "and a path in a name is cut", m,
         [D(PDF2, "A.PDF", "2", "pdf", None, "archive", "noname")],
         [S("2", "HS.ZIP", "limit: archive depth")])
    m = multipart("tnef", [TEXT, attach(dat[:len(dat) // 2],
                                        "application/ms-tnef",
                                        'filename="winmail.dat"')])
    case("tnef_truncated", "a truncated winmail.dat is reported as "
         "malformed", m, [], [S("2", "winmail.dat", "malformed: TNEF: ")],
         reason_prefix=True)
    many = [(b"F%d.PDF" % i, None, docs.pdf("so %d" % i)) for i in range(101)]
    m = multipart("tnef", [TEXT, attach(docs.tnef(many), "application/ms-tnef",
                                        'filename="winmail.dat"')])
    case("tnef_files", "a winmail.dat stops at max_archive_files", m,
         [D(d, n.decode(), "2", "pdf", None, "archive", "winmail.dat")
          for n, _, d in many[:100]],
         [S("2", "winmail.dat", "limit: archive files")])


def gen_smime():
    content = multipart("sm", [TEXT, attach(PDF, "application/pdf",
                                            'filename="qd.pdf"')], top=False)
    signed = subprocess.run(
        ["openssl", "smime", "-sign", "-signer", CERT, "-inkey", KEY],
        input=content, capture_output=True, check=True).stdout
    der = subprocess.run(
        ["openssl", "cms", "-sign", "-nodetach", "-binary", "-outform", "DER",
         "-signer", CERT, "-inkey", KEY], input=content,
        capture_output=True, check=True).stdout
    case("smime_signed", "multipart/signed keeps the signed bytes and "
         "signature", HDR + signed,
         [D(PDF, "qd.pdf", "1.2", "pdf", "application/pdf")],
         smime="detached")
    case("smime_opaque", "application/pkcs7-mime signed-data is unwrapped",
         HDR + b"Content-Type: application/pkcs7-mime; smime-type=signed-data;"
         b' name="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
         b64(der),
         [D(PDF, "qd.pdf", "2", "pdf", "application/pdf")],
         smime="opaque")
    enc = subprocess.run(["openssl", "cms", "-encrypt", "-aes256", CERT],
                         input=content, capture_output=True,
                         check=True).stdout
    case("smime_encrypted", "encrypted S/MIME is reported", HDR + enc, [],
         [S("1", "smime.p7m", "unsupported: encrypted S/MIME")])


os.makedirs(OUT, exist_ok=True)
KEY = os.path.join(OUT, "key.pem")
CERT = os.path.join(OUT, "cert.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", KEY,
                "-out", CERT, "-days", "30", "-subj",
                "/CN=Van thu/emailAddress=vanthu@bnv.gov.vn"],
               check=True, capture_output=True)
gen_basic()
gen_kinds()
gen_names()
gen_structure()
gen_archives()
gen_tnef()
gen_smime()
with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump(CASES, f, ensure_ascii=False, indent=1)
