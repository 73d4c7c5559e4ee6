#!/usr/bin/env python3
"""check.py MAILDIR LIST.json DATABASE SPOOL COUNT - the register after the kills.

MAILDIR is where the milter's Postfix delivered, LIST.json what
`vanthu list --json` printed, DATABASE the register's SQLite file (read
only), SPOOL the document spool, COUNT the number of messages sent
(Message-IDs <crash-0001@sonoi.gov.vn>...).  Prints one line per
assertion, "0 sentence" when it holds and "1 sentence (what was found)"
when it does not, and then "retried N": the messages registered by an
attempt that was interrupted and retried."""
import email
import email.policy
import hashlib
import json
import os
import re
import sqlite3
import sys

maildir, listing, dbpath, spool, count = sys.argv[1:6]
count = int(count)
want_ids = {"crash-%04d@sonoi.gov.vn" % i for i in range(1, count + 1)}


def result(ok, sentence, detail=""):
    print("%d %s%s" % (0 if ok else 1, sentence,
                       "" if ok or not detail else " (%s)" % detail))


def bare(mid):
    return (mid or "").strip().strip("<>")


# What Postfix delivered.
delivered = {}		# message-id -> list of (register headers, sha256)
for d in ("new", "cur"):
    p = os.path.join(maildir, d)
    for f in sorted(os.listdir(p)) if os.path.isdir(p) else []:
        with open(os.path.join(p, f), "rb") as fh:
            m = email.message_from_binary_file(fh, policy=email.policy.default)
        regs = [str(v) for v in m.get_all("X-Vanthu-Register", [])]
        shas = [hashlib.sha256(part.get_payload(decode=True)).hexdigest()
                for part in m.walk()
                if part.get_content_type() == "application/pdf"]
        delivered.setdefault(bare(m["Message-ID"]), []).append((regs, shas))

copies = sum(len(v) for v in delivered.values())
twice = sorted(k for k, v in delivered.items() if len(v) > 1)
result(set(delivered) == want_ids and copies == count,
       "every message is delivered exactly once",
       "%d copies of %d messages, %d expected; twice: %s; missing: %d" %
       (copies, len(delivered), count, " ".join(twice[:5]),
        len(want_ids - set(delivered))))

bad = [k for k, v in delivered.items()
       if len(v[0][0]) != 1 or not re.fullmatch(r"den/\d{4}/\d+", v[0][0][0])]
result(copies > 0 and not bad,
       "each delivered message carries exactly one X-Vanthu-Register header naming a number",
       "%d do not, e.g. %s: %s" % (len(bad), bad[0] if bad else "",
                                   delivered[bad[0]][0][0] if bad else ""))

# What the register holds, as the clerk's tool lists it.
with open(listing) as fh:
    entries = json.load(fh)
numbers = sorted(e["number"] for e in entries)
years = {e["year"] for e in entries}
result(len(entries) == count and numbers == list(range(1, count + 1)) and
       len(years) == 1 and all(e["book"] == "den" for e in entries),
       "the register holds numbers 1..%d of one book and year, no gap, no duplicate" % count,
       "%d entries, max %s, distinct %d, years %s" %
       (len(entries), numbers[-1] if numbers else "-", len(set(numbers)),
        sorted(years)))

shas = [e["sha256"] for e in entries]
result(len(set(shas)) == len(shas) == count and
       {bare(e["message_id"]) for e in entries} == want_ids,
       "each distinct document and each message is registered exactly once",
       "%d distinct documents, %d messages" %
       (len(set(shas)), len({bare(e["message_id"]) for e in entries})))

missing = []
for s in shas:
    p = os.path.join(spool, s[0:2], s[2:4], s)
    try:
        with open(p, "rb") as fh:
            if hashlib.sha256(fh.read()).hexdigest() != s:
                missing.append(s + " (content differs)")
    except OSError:
        missing.append(s)
result(shas and not missing,
       "every registered document has its spool file <spool>/ab/cd/<sha256>, intact",
       "%d missing, e.g. %s" % (len(missing), missing[0] if missing else ""))

by_mid = {bare(e["message_id"]): e for e in entries}
wrong = []
for k, v in delivered.items():
    e = by_mid.get(k)
    regs, pdfs = v[0]
    if e is None or regs != [e["id"]] or pdfs != [e["sha256"]]:
        wrong.append("%s: header %s, register %s" %
                     (k, regs, e["id"] if e else "none"))
result(delivered and not wrong,
       "the number in each delivered message is the register's number for its document",
       "%d differ, e.g. %s" % (len(wrong), wrong[0] if wrong else ""))

# The rows behind the list, straight from the database.
db = sqlite3.connect("file:%s?mode=ro" % dbpath, uri=True)
q = lambda sql: db.execute(sql).fetchone()[0]
rows = (q("SELECT count(*) FROM messages"), q("SELECT count(*) FROM documents"),
        q("SELECT count(*) FROM registrations"),
        q("SELECT count(*) FROM arrivals WHERE disposition = 'new'"),
        q("SELECT count(*) FROM registrations r JOIN documents d ON d.id = r.document_id"
          " JOIN messages m ON m.id = r.message_id"),
        q("SELECT count(*) FROM audit WHERE action = 'register'"))
result(rows == (count,) * 6,
       "every number has its message, document, arrival and audit rows and nothing else is there",
       "messages, documents, registrations, new arrivals, joined, audit = %s" % (rows,))
last = db.execute("SELECT last FROM counters WHERE book = 'den'").fetchall()
result(last == [(count,)], "the book's counter stands at %d" % count, "counter %s" % last)

retried = [bare(r[0]) for r in
           db.execute("SELECT message_id FROM messages WHERE attempts > 1")]
stale = [k for k in retried
         if k not in delivered or k not in by_mid or
         delivered[k][0][0] != [by_mid[k]["id"]]]
result(not stale,
       "a message registered by an interrupted attempt keeps its number on Postfix's retry",
       "%d of %d retried differ: %s" % (len(stale), len(retried), " ".join(stale[:5])))
print("retried %d" % len(retried))
