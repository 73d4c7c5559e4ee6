#!/usr/bin/env python3
"""mkmail.py OUT FROM TO SUBJECT [ITEM...] - a message with the text body
"Kinh gui." for the offline tests.  Each ITEM is "Name: value", an extra
header, or "PATH|MIME/TYPE|NAME", an attachment holding the bytes of PATH."""
import sys
from email.message import EmailMessage

out, frm, to, subject = sys.argv[1:5]
m = EmailMessage()
m["From"] = frm
m["To"] = to
m["Subject"] = subject
attachments = []
for item in sys.argv[5:]:
    if "|" in item:
        attachments.append(item.split("|", 2))
    else:
        name, value = item.split(": ", 1)
        m[name] = value
m.set_content("Kinh gui.\n")
for path, mime, name in attachments:
    maintype, subtype = mime.split("/", 1)
    m.add_attachment(open(path, "rb").read(), maintype=maintype,
                     subtype=subtype, filename=name)
open(out, "wb").write(bytes(m))
