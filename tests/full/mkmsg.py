#!/usr/bin/env python3
"""mkmsg.py OUTDIR - the messages of the full-disk tests.

big.eml carries one 2.5 MB PDF (about 3.4 MB of message), huge.eml one
of 4.5 MB (about 6.1 MB); small-1.eml .. small-6.eml each a small PDF of
its own.  Every PDF is well formed: a page, and a stream of random bytes
that nothing points to, so that its size is what it is meant to be."""
import os
import sys
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "mime"))
import docs  # noqa: E402  (tests/mime/docs.py: the PDF serialiser)


def pdf(text, pad):
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Length %d >>\nstream\n" % pad + os.urandom(pad) + b"\nendstream",
    ]
    return docs.pdf_file(objs, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
                         b"% " + text.encode() + b"\n")


def message(name, text, pad):
    m = EmailMessage(policy=SMTP)
    m["From"] = "Van thu <vanthu@sonoi.gov.vn>"
    m["To"] = "vanthu@binhdinh.gov.vn"
    m["Subject"] = text
    m["Message-ID"] = "<full-%s@sonoi.gov.vn>" % name
    m.set_content("Kinh gui %s.\n" % text)
    m.add_attachment(pdf(text, pad), maintype="application", subtype="pdf",
                     filename="%s.pdf" % name)
    return bytes(m)


out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "big.eml").write_bytes(message("big", "Ho so quet 12/UBND", 2500 * 1024))
(out / "huge.eml").write_bytes(message("huge", "Ho so quet 13/UBND", 4500 * 1024))
for i in range(1, 7):
    (out / ("small-%d.eml" % i)).write_bytes(
        message("small-%d" % i, "Cong van %d/UBND-VP" % i, 64))
