#!/usr/bin/env python3
"""send.py PORT FROM RCPT[,RCPT...] EML - send one message over SMTP.

Prints the server's final reply as "CODE TEXT" and exits 0 when the
message was accepted, 1 when it was refused (the reply says why)."""
import smtplib
import sys

port, sender, rcpts, path = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
data = open(path, "rb").read()
s = smtplib.SMTP("127.0.0.1", int(port), timeout=120)
s.ehlo("client.example")
try:
    code, msg = s.mail(sender)
    if code >= 400:
        print(code, msg.decode(errors="replace"))
        sys.exit(1)
    for r in rcpts:
        code, msg = s.rcpt(r)
        if code >= 400:
            print(code, msg.decode(errors="replace"))
            sys.exit(1)
    code, msg = s.data(data)
    print(code, msg.decode(errors="replace"))
    sys.exit(0 if code == 250 else 1)
except smtplib.SMTPResponseException as e:
    print(e.smtp_code, e.smtp_error.decode(errors="replace"))
    sys.exit(1)
finally:
    try:
        s.quit()
    except Exception:
        pass
