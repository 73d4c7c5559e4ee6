#!/usr/bin/env python3
"""mkpdf.py - PDFs for the signature tests, written by hand.

  mkpdf.py base OUT                      a one-page PDF
  mkpdf.py base-objstm OUT               the same, catalog, pages, page and
                                         font compressed in an object stream
  mkpdf.py base-array OUT                the same, the page's /Contents an
                                         indirect array (object 4) of one
                                         stream (object 6)
  mkpdf.py base-shadow OUT               the same, with a second catalog
                                         (object 6) nothing refers to, whose
                                         page (8) says 99/QD instead of 15/QD
  mkpdf.py base-form OUT                 the same, with a text field
                                         (object 6, /FT /Tx) whose widget
                                         (7) has no /FT of its own
  mkpdf.py prepare IN OUT SUBFILTER FIELD [SHORT]
        append a revision with an empty signature of SUBFILTER in a new
        field; print "0 B C D", the byte range to sign (D shortened by
        SHORT bytes for the truncated-range case)
  mkpdf.py prepare-kid IN OUT SUBFILTER FIELD [SHORT]
        the same, the widget without /FT, a kid of the field that has it
  mkpdf.py field IN OUT NAME             append an empty signature field;
                                         print its object number
  mkpdf.py modify IN OUT                 append a revision changing page text
  mkpdf.py disguise IN OUT ENTRIES       the same, the content stream's
                                         dictionary also holding ENTRIES
                                         (e.g. "/Type /Sig")
  mkpdf.py grow IN OUT                   append a revision adding to the
                                         array of base-array a stream that
                                         paints other text over the text
  mkpdf.py reroot IN OUT N               append an update that writes no
                                         object, its trailer naming object N
                                         as the catalog
  mkpdf.py annotate IN OUT [notype]     append a revision adding a note
                                         (without /Type /Annot, which is
                                         optional, when notype)
  mkpdf.py overlay IN OUT PARENT [WIDGET]
                                         append a revision adding a widget
                                         without /FT under field PARENT (a
                                         number, or "self"), its appearance
                                         painting other text over the text;
                                         WIDGET: rewrite that one instead
  mkpdf.py dss IN OUT                    append a revision adding a DSS
  mkpdf.py tamper IN OUT                 change one signed byte
  mkpdf.py garbage IN OUT                random hex in the first /Contents
  mkpdf.py truncate IN OUT N             drop the last N bytes

Object numbers of the base: 1 catalog, 2 pages, 3 page, 4 content, 5 font.
"""
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "mime"))
import docs  # noqa: E402  (tests/mime/docs.py: the PDF serialiser)

TEXT = b"BT /F1 14 Tf 72 770 Td (QUYET DINH so 15/QD-BNV) Tj ET\n"
PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>%s >>")


def stream(body, entries=b""):
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (
        len(body), entries, body)


HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def base_objects():
    """The signed file's objects: catalog, pages, page, text, font."""
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: PAGE % b"",
        4: stream(TEXT),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }


def pdf_of(objs):
    return docs.pdf_file([objs[n] for n in sorted(objs)], HEADER)


def base():
    return pdf_of(base_objects())


def base_array():
    objs = base_objects()
    objs.update({4: b"[6 0 R]", 6: stream(TEXT)})
    return pdf_of(objs)


def base_shadow():
    objs = base_objects()
    objs.update({
        6: b"<< /Type /Catalog /Pages 7 0 R >>",
        7: b"<< /Type /Pages /Kids [8 0 R] /Count 1 >>",
        8: PAGE.replace(b"2 0 R", b"7 0 R").replace(b"4 0 R", b"9 0 R") % b"",
        9: stream(TEXT.replace(b"15/QD", b"99/QD")),
    })
    return pdf_of(objs)


def base_form():
    objs = base_objects()
    objs.update({
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] "
           b"/DR << /Font << /F1 5 0 R >> >> >> >>",
        3: PAGE % b" /Annots [7 0 R]",
        6: b"<< /FT /Tx /T (so) /V (15/QD-BNV) /DA (/F1 12 Tf 0 g) "
           b"/Kids [7 0 R] >>",
        7: b"<< /Type /Annot /Subtype /Widget /Parent 6 0 R /P 3 0 R "
           b"/Rect [400 700 500 720] /F 4 >>",
    })
    return pdf_of(objs)


def base_objstm():
    """Objects 1, 2, 3, 5 in object stream 6, an xref stream 7."""
    import struct
    import zlib
    inner = [(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
             (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
             (3, PAGE % b""),
             (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")]
    body, header = b"", b""
    for num, obj in inner:
        header += b"%d %d " % (num, len(body))
        body += obj + b"\n"
    raw = header + body
    comp = zlib.compress(raw)
    out = bytearray(HEADER)
    off4 = len(out)
    out += b"4 0 obj\n%s\nendobj\n" % stream(TEXT)
    off6 = len(out)
    out += (b"6 0 obj\n<< /Type /ObjStm /N 4 /First %d /Filter /FlateDecode "
            b"/Length %d >>\nstream\n" % (len(header), len(comp)))
    out += comp + b"\nendstream\nendobj\n"
    off7 = len(out)
    rows = [(0, 0, 65535), (2, 6, 0), (2, 6, 1), (2, 6, 2), (1, off4, 0),
            (2, 6, 3), (1, off6, 0), (1, off7, 0)]
    xs = b"".join(struct.pack(">BIH", *r) for r in rows)
    out += (b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R "
            b"/Length %d >>\nstream\n" % len(xs)) + xs
    out += b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % off7
    return bytes(out)


def append(data, objs):
    """An incremental update writing objs {num: bytes}."""
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = max(int(x) for x in re.findall(rb"/Size\s+(\d+)", data))
    size = max([size] + [n + 1 for n in objs])
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offs = {}
    for n in sorted(objs):
        offs[n] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (n, objs[n])
    xref = len(out)
    out += b"xref\n"
    for n in sorted(objs):
        out += b"%d 1\n%010d 00000 n \n" % (n, offs[n])
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n"
            b"%%%%EOF\n" % (size, prev, xref))
    return bytes(out)


def next_num(data):
    return max(int(x) for x in re.findall(rb"/Size\s+(\d+)", data))


def widgets(data):
    return sorted(set(int(m) for m in re.findall(
        rb"(\d+) 0 obj\s*<< /Type /Annot /Subtype /Widget /FT /Sig", data)))


def listed(data, num, typ, key):
    """The references in KEY of the last plain object NUM of /Type TYP."""
    defs = re.findall(rb"(?<![0-9])%d 0 obj\n(<< /Type /%s .*?)\nendobj"
                      % (num, typ), data, re.S)
    m = re.search(rb"%s \[([^\]]*)\]" % key, defs[-1]) if defs else None
    return [int(x) for x in re.findall(rb"(\d+) 0 R", m.group(1))] if m else []


def refs_of(nums):
    return b" ".join(b"%d 0 R" % f for f in nums)


def prepare(data, subfilter, field, short=0, kid=False):
    """The signature in a field of its own, the widget merged with it or
    (kid) a kid of it without /FT; the fields and annotations already
    there stay."""
    n = next_num(data)
    sig, wid = n, n + 1
    fld = n + 2 if kid else wid
    sigs = widgets(data)
    fields = sigs + [f for f in listed(data, 1, b"Catalog", b"/Fields")
                     if f not in sigs] + [fld]
    annots = sigs + [a for a in listed(data, 3, b"Page", b"/Annots")
                     if a not in sigs] + [wid]
    placeholder = b"[0 0 0 0]" + b" " * 40
    objs = {
        sig: b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /%s "
             b"/ByteRange %s /Contents <%s> /M (D:20261121120000+07'00') >>"
             % (subfilter.encode(), placeholder, b"0" * 32768),
        wid: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (%s) /V %d 0 R "
             b"/P 3 0 R /Rect [0 0 0 0] /F 132 >>" % (field.encode(), sig),
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] "
           b"/SigFlags 3 >> >>" % refs_of(fields),
        3: PAGE % (b" /Annots [%s]" % refs_of(annots)),
    }
    if kid:
        objs[fld] = (b"<< /FT /Sig /T (%s) /V %d 0 R /Kids [%d 0 R] >>"
                     % (field.encode(), sig, wid))
        # /V again on the widget: poppler and MuPDF look for it there.
        objs[wid] = (b"<< /Type /Annot /Subtype /Widget /Parent %d 0 R "
                     b"/V %d 0 R /P 3 0 R /Rect [0 0 0 0] /F 132 >>"
                     % (fld, sig))
    out = append(data, objs)
    at = out.rindex(b"%d 0 obj\n<< /Type /Sig" % sig)
    b = out.index(b"/Contents <", at) + len(b"/Contents ")
    c = out.index(b">", b) + 1
    d = len(out) - c
    rng = b"[0 %d %d %d]" % (b, c, d - short)
    rng += b" " * (len(placeholder) - len(rng))
    pos = out.index(placeholder, at)
    out = out[:pos] + rng + out[pos + len(placeholder):]
    return out, "0 %d %d %d" % (b, c, d - short)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    bases = {"base": base, "base-objstm": base_objstm,
             "base-shadow": base_shadow, "base-form": base_form,
             "base-array": base_array}
    if cmd in bases:
        open(args[0], "wb").write(bases[cmd]())
        return
    data = open(args[0], "rb").read()
    out = args[1]
    if cmd in ("prepare", "prepare-kid"):
        short = int(args[4]) if len(args) > 4 else 0
        res, rng = prepare(data, args[2], args[3], short,
                           cmd == "prepare-kid")
        print(rng)
    elif cmd == "field":
        n = next_num(data)
        refs = b" ".join(b"%d 0 R" % f for f in widgets(data) + [n])
        res = append(data, {
            n: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (%s) /P 3 0 R "
               b"/Rect [50 50 250 120] /F 4 >>" % args[2].encode(),
            1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] "
               b"/SigFlags 3 >> >>" % refs,
            3: PAGE % (b" /Annots [%s]" % refs)})
        print(n)
    elif cmd == "modify":
        res = append(data, {4: stream(TEXT.replace(b"15/QD", b"99/QD"))})
    elif cmd == "disguise":
        res = append(data, {4: stream(TEXT.replace(b"15/QD", b"99/QD"),
                                      b" " + args[2].encode())})
    elif cmd == "grow":
        n = next_num(data)
        cover = (b"1 1 1 rg 60 760 300 30 re f 0 g " +
                 TEXT.replace(b"15/QD", b"99/QD"))
        res = append(data, {n: stream(cover), 4: b"[6 0 R %d 0 R]" % n})
    elif cmd == "reroot":
        prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
        size = next_num(data)
        res = data + (b"xref\n0 1\n0000000000 65535 f \ntrailer\n"
                      b"<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n"
                      b"%d\n%%%%EOF\n" % (size, int(args[2]), prev, len(data)))
    elif cmd == "annotate":
        n = next_num(data)
        page = re.findall(rb"3 0 obj\n(<< /Type /Page .*?)\nendobj", data, re.S)[-1]
        annots = re.search(rb"/Annots \[([^\]]*)\]", page)
        refs = (annots.group(1) + b" " if annots else b"") + b"%d 0 R" % n
        typ = b"" if args[2:] == ["notype"] else b"/Type /Annot "
        res = append(data, {
            n: b"<< %s/Subtype /Text /Rect [10 10 30 30] "
               b"/Contents (huy bo) /P 3 0 R >>" % typ,
            3: PAGE % (b" /Annots [%s]" % refs)})
    elif cmd == "overlay":
        n = next_num(data)
        wid = int(args[3]) if len(args) > 3 else n
        ap = n if len(args) > 3 else n + 1
        parent = wid if args[2] == "self" else int(args[2])
        annots = listed(data, 3, b"Page", b"/Annots")
        paint = (b"1 1 1 rg 0 0 300 30 re f 0 g "
                 b"BT /F1 14 Tf 12 8 Td (QUYET DINH so 99/QD-BNV) Tj ET")
        res = append(data, {
            wid: b"<< /Type /Annot /Subtype /Widget /Parent %d 0 R /P 3 0 R "
                 b"/Rect [60 762 360 792] /F 4 /AP << /N %d 0 R >> >>"
                 % (parent, ap),
            ap: stream(paint, b" /Type /XObject /Subtype /Form "
                       b"/BBox [0 0 300 30] "
                       b"/Resources << /Font << /F1 5 0 R >> >>"),
            3: PAGE % (b" /Annots [%s]" % refs_of(
                annots + ([] if wid in annots else [wid])))})
    elif cmd == "dss":
        n = next_num(data)
        cat = re.findall(rb"1 0 obj\n(<< /Type /Catalog .*?)\nendobj", data, re.S)[-1]
        cat = cat[:-2] + b"/DSS %d 0 R >>" % n
        res = append(data, {n: b"<< /Type /DSS /Certs [%d 0 R] >>" % (n + 1),
                            n + 1: stream(b"0123456789"), 1: cat})
    elif cmd == "tamper":
        i = data.index(b"15/QD-BNV")
        res = data[:i] + b"16" + data[i + 2:]
    elif cmd == "garbage":
        b = data.index(b"/Contents <", data.index(b"/ByteRange")) + 11
        e = data.index(b">", b)
        rnd = random.Random(5)
        res = data[:b] + bytes(rnd.choice(b"0123456789abcdef")
                               for _ in range(e - b)) + data[e:]
    elif cmd == "truncate":
        res = data[:len(data) - int(args[2])]
    else:
        sys.exit("mkpdf.py: unknown command " + cmd)
    open(out, "wb").write(res)


if __name__ == "__main__":
    main()
