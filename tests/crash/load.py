#!/usr/bin/env python3
"""load.py PORT COUNT CLIENTS [PACE] - send COUNT official messages over SMTP.

CLIENTS threads share the messages; each message has a Message-ID
<crash-NNNN@sonoi.gov.vn>, the subject "Cong van NNNN" and one small PDF
of its own (distinct bytes, so a distinct SHA-256).  Every message must
be accepted (250); prints "sent N refused N" and exits 0 when none was
refused.  Each client waits PACE seconds (0) between its messages, so
that the load lasts while the daemon is killed.  The relay in front of the milter accepts everything, so a
refusal here is a failure of the test set-up, not of the milter."""
import smtplib
import sys
import threading
import time
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "mime"))
import docs  # noqa: E402  (tests/mime/docs.py: the PDF serialiser)

port, count, clients = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
pace = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0


def pdf(i):
    # A small, well-formed PDF whose text differs per message.
    text = "(Cong van so %04d) Tj" % i
    stream = "BT /F1 12 Tf 72 720 Td %s ET" % text
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        "<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return docs.pdf_file([o.encode() for o in objs])


def message(i):
    m = EmailMessage(policy=SMTP)
    m["From"] = "Van thu <vanthu@sonoi.gov.vn>"
    m["To"] = "vanthu@binhdinh.gov.vn"
    m["Subject"] = "Cong van %04d" % i
    m["Message-ID"] = "<crash-%04d@sonoi.gov.vn>" % i
    m.set_content("Kinh gui cong van so %d.\n" % i)
    m.add_attachment(pdf(i), maintype="application", subtype="pdf",
                     filename="cv%04d.pdf" % i)
    return bytes(m)


lock = threading.Lock()
sent = refused = 0


def client(k):
    global sent, refused
    s = smtplib.SMTP("127.0.0.1", port, timeout=60)
    s.ehlo("client%d.example" % k)
    for i in range(k + 1, count + 1, clients):
        try:
            s.sendmail("vanthu@sonoi.gov.vn", ["vanthu@binhdinh.gov.vn"], message(i))
            ok = True
        except smtplib.SMTPException as e:
            print("# message %d refused: %s" % (i, e), file=sys.stderr)
            ok = False
        time.sleep(pace)
        with lock:
            if ok:
                sent += 1
            else:
                refused += 1
    s.quit()


threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("sent %d refused %d" % (sent, refused))
sys.exit(0 if refused == 0 and sent == count else 1)
