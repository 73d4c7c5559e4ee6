#!/usr/bin/env python3
"""make_messages.py - write the four messages of the milter load benchmark.

    python3 tests/bench/make_messages.py DIR

writes, with CRLF line ends as an MTA hands them to a filter:
    plain.eml   about 5 KB: a text/plain letter, no attachment
    pdf1.eml    about 150 KB: a letter with one PDF
    docs3.eml   about 600 KB: a letter with a PDF, a DOCX and an ODT
    big.eml     about 10 MB: a letter with one 7.5 MB PDF
The documents are synthetic: well-formed containers (a PDF shaped like a
scanned letter with a text layer, ZIP packages with the parts Office and ODF readers look
for) around deterministic pseudo-random bytes, so that the same sizes come
out on every run and nothing compresses better than a real scan would.
"""
import base64
import email.utils
import io
import random
import sys
import zipfile
import zlib
from email.header import Header
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "mime"))
import docs  # noqa: E402  (tests/mime/docs.py: the PDF serialiser)

LETTER = (
    "Kính gửi: Văn phòng UBND tỉnh Bình Định\r\n\r\n"
    "Sở Thông tin và Truyền thông xin gửi kèm văn bản số 123/STTTT-VP "
    "ngày 05/03/2026 về việc triển khai hệ thống quản lý văn bản điện tử.\r\n"
)


def pdf(size, seed):
    """A PDF of SIZE bytes shaped like a scanned letter with a text layer:
    catalog, page tree, one page whose content stream writes the letter's
    heading with its number and draws one image XObject (the scan: random
    bytes declared as DCT, which text extraction never decodes).  The
    number is 0000000, placed where milter_load --vary can rewrite it."""
    for pad in range(57):
        data = pdf_laid_out(size, seed, pad)
        at = data.index(b"0000000/STTTT")
        if at % 3 == 0 and at // 57 == (at + 11) // 57:
            image = data.index(b"stream", data.index(b"/Subtype /Image"))
            return vary_marker(data, image + 200, seed)
    raise SystemExit("make_messages: cannot place the number")


def pdf_laid_out(size, seed, pad):
    rnd = random.Random(seed)
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    content = (b"BT /F1 12 Tf 72 800 Td" + b" " * pad + b"(UBND TINH BINH DINH) Tj "
               b"0 -16 Td (So: 0000000/STTTT-VP) Tj 0 -16 Td (V/v trien khai he "
               b"thong quan ly van ban dien tu) Tj ET\n"
               b"q 451 0 0 600 72 120 cm /Im0 Do Q\n")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im0 6 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    fixed = len(head) + sum(len(o) for o in objs) + 400
    n = max(size - fixed, 16)
    objs.append(b"<< /Type /XObject /Subtype /Image /Width 1654 /Height 2339 "
                b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode "
                b"/Length %d >>\nstream\n" % n + rnd.randbytes(n) + b"\nendstream")
    return docs.pdf_file(objs, head)


def vary_marker(data, after, seed=1):
    """Write seven '0' digits, a '/' and four more bytes at the first base64
    line start (a multiple of 57 bytes) past offset AFTER, inside random
    bytes: milter_load --vary rewrites the digits so that every message
    carries a document of its own."""
    at = (after + 56) // 57 * 57
    raw = b"0000000/" + random.Random(seed).randbytes(4)
    return data[:at] + raw + data[at + len(raw):]


def package(kind, size, seed):
    """A DOCX or ODT package holding SIZE random bytes in a stored part."""
    rnd = random.Random(seed)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.comment = b" " * 80   # room for the --vary marker
        if kind == "odt":
            z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            z.writestr("content.xml", '<?xml version="1.0"?><office:document-content '
                       'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
            z.writestr("Pictures/scan.bin", rnd.randbytes(size))
        else:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns='
                       '"http://schemas.openxmlformats.org/package/2006/content-types"/>')
            z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w='
                       '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
            z.writestr("word/media/scan.bin", rnd.randbytes(size))
    data = buf.getvalue()
    return vary_marker(data, len(data) - 80, seed)


def b64_lines(data):
    text = base64.b64encode(data).decode("ascii")
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def headers(subject, content_type):
    return (
        "Return-Path: <vanphong@stttt.binhdinh.gov.vn>\r\n"
        "Received: from mx.stttt.binhdinh.gov.vn (mx.stttt.binhdinh.gov.vn [10.1.2.3])\r\n"
        "\tby mx.binhdinh.gov.vn (Postfix) with ESMTPS id 4Xy7Zq1B2cz9sT\r\n"
        "\tfor <vanthu@binhdinh.gov.vn>; Thu, 05 Mar 2026 08:15:00 +0700\r\n"
        "From: =?utf-8?b?VsSDbiBwaMOybmcgU+G7nyBUVCZUVA==?= "
        "<vanphong@stttt.binhdinh.gov.vn>\r\n"
        "To: vanthu@binhdinh.gov.vn\r\n"
        "Date: Thu, 05 Mar 2026 08:14:58 +0700\r\n"
        "Message-ID: <bench.%s@stttt.binhdinh.gov.vn>\r\n"
        "Subject: %s\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: %s\r\n" % (
            subject[:8].encode().hex(),
            Header(subject, "utf-8").encode(maxlinelen=900),
            content_type)
    )


def plain(size):
    body = LETTER
    filler = ("Nội dung công văn: đề nghị các đơn vị phối hợp thực hiện "
              "đúng tiến độ, báo cáo kết quả trước ngày 30/3/2026.\r\n")
    while len(body.encode()) < size:
        body += filler
    return (headers("V/v triển khai hệ thống quản lý văn bản",
                    "text/plain; charset=utf-8")
            + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body)


def with_documents(subject, docs):
    boundary = "=_vanthu_bench_boundary_7f3a"
    parts = ["--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
             "Content-Transfer-Encoding: 8bit\r\n\r\n%s" % (boundary, LETTER)]
    for name, ctype, data in docs:
        parts.append(
            "--%s\r\nContent-Type: %s; name=\"%s\"\r\n"
            "Content-Disposition: attachment; filename=\"%s\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n"
            % (boundary, ctype, name, name, b64_lines(data)))
    return (headers(subject, 'multipart/mixed; boundary="%s"' % boundary)
            + "\r\nThis is a multipart message in MIME format.\r\n"
            + "".join(parts) + "--%s--\r\n" % boundary)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_messages.py DIR")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    odt = "application/vnd.oasis.opendocument.text"
    msgs = {
        "plain.eml": plain(5 * 1024 - 900),
        "pdf1.eml": with_documents("Công văn số 123/STTTT-VP",
                                   [("123-STTTT-VP.pdf", "application/pdf",
                                     pdf(108 * 1024, 1))]),
        "docs3.eml": with_documents("Quyết định và phụ lục kèm theo", [
            ("45-QD-UBND.pdf", "application/pdf", pdf(150 * 1024, 2)),
            ("phu-luc.docx", docx, package("docx", 140 * 1024, 3)),
            ("bao-cao.odt", odt, package("odt", 140 * 1024, 4))]),
        "big.eml": with_documents("Hồ sơ quét kèm công văn 88/UBND-TH",
                                  [("ho-so-quet.pdf", "application/pdf",
                                    pdf(7600 * 1024, 5))]),
    }
    for name, text in msgs.items():
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        print("%s %d" % (name, len(data)))


if __name__ == "__main__":
    main()
