"""docs.py - small but real documents of every kind, made with the
Python standard library, for the MIME corpus (tests/mime/gen.py)."""
import io
import struct
import zipfile
import zlib


def pdf_file(objs, head=b"%PDF-1.4\n", before_xref=b""):
    """A PDF of the objects objs (bytes, numbered from 1, the first the
    catalog) after head, with before_xref between them and the xref table."""
    out = io.BytesIO()
    out.write(head)
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    out.write(before_xref)
    x = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offs:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objs) + 1, x))
    return out.getvalue()


def pdf(text="Quyet dinh so 15/QD-BNV"):
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    return pdf_file(objs, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
                    b"% " + text.encode() + b"\n")


def _zip(entries, first_stored=None):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        if first_stored:
            z.writestr(zipfile.ZipInfo(first_stored[0]), first_stored[1],
                       compress_type=zipfile.ZIP_STORED)
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return b.getvalue()


def _ooxml(main_dir, main_file, ctype):
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
          'openxmlformats.org/package/2006/content-types"><Default Extension='
          '"xml" ContentType="application/xml"/><Override PartName="/%s/%s" '
          'ContentType="%s"/></Types>' % (main_dir, main_file, ctype))
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="%s/%s"/>'
            '</Relationships>' % (main_dir, main_file))
    return _zip([("[Content_Types].xml", ct), ("_rels/.rels", rels),
                 ("%s/%s" % (main_dir, main_file), "<x/>")])


def docx():
    return _ooxml("word", "document.xml", "application/vnd.openxmlformats-"
                  "officedocument.wordprocessingml.document.main+xml")


def xlsx():
    return _ooxml("xl", "workbook.xml", "application/vnd.openxmlformats-"
                  "officedocument.spreadsheetml.sheet.main+xml")


def _odf(mime):
    return _zip([("content.xml", "<office:document-content/>"),
                 ("META-INF/manifest.xml", "<manifest/>")],
                first_stored=("mimetype", mime))


def odt():
    return _odf("application/vnd.oasis.opendocument.text")


def ods():
    return _odf("application/vnd.oasis.opendocument.spreadsheet")


def _cdf(stream_name):
    """A compound file (MS-CFB v3) with one 4096-byte stream."""
    free, end, fat = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    hdr = bytearray(512)
    hdr[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", hdr, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", hdr, 40, 0, 1, 1, 0, 0x1000, end, 0, end)
    struct.pack_into("<I", hdr, 72, 0)
    struct.pack_into("<I", hdr, 76, 0)
    for i in range(1, 109):
        struct.pack_into("<I", hdr, 76 + 4 * i, free)
    table = [fat, end] + [3, 4, 5, 6, 7, 8, 9, end]
    table += [free] * (128 - len(table))
    fatsec = struct.pack("<128I", *table)

    def entry(name, kind, child, start, size):
        e = bytearray(128)
        n = (name + "\0").encode("utf-16-le") if name else b""
        e[0:len(n)] = n
        struct.pack_into("<HBB", e, 64, len(n), kind, 1)
        struct.pack_into("<III", e, 68, free, free, child)
        struct.pack_into("<IQ", e, 116, start, size)
        return bytes(e)
    d = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, free, 2,
                                                   4096)
    d += entry("", 0, free, 0, 0) * 2
    return bytes(hdr) + fatsec + d + b"\0" * 4096


def doc():
    return _cdf("WordDocument")


def xls():
    return _cdf("Workbook")


def rtf():
    return b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Cong van so 5\\par }\n"


def png():
    raw = b"\0\xff\0\0" * 1
    def chunk(t, d):
        return (struct.pack(">I", len(d)) + t + d +
                struct.pack(">I", zlib.crc32(t + d) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg():
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
            b"\x00\x00\xff\xdb\x00\x43\x00" + bytes(range(1, 65)) +
            b"\xff\xd9")


def tiff():
    ifd = struct.pack("<H", 1) + struct.pack("<HHII", 256, 3, 1, 1) + b"\0" * 4
    return b"II*\x00" + struct.pack("<I", 8) + ifd


EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def edxml():
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<edXML:edXMLEnvelope '
            'xmlns:edXML="%s"><edXML:edXMLHeader><edXML:MessageHeader>'
            '<edXML:Code><edXML:CodeNumber>15</edXML:CodeNumber>'
            '<edXML:CodeNotation>QĐ-BNV</edXML:CodeNotation></edXML:Code>'
            '</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope>'
            '\n' % EDXML_NS).encode()


def zip_of(entries):
    return _zip(entries)


def pe():
    """A minimal Windows PE32 executable (one section, returns at once)."""
    mz = bytearray(64)
    mz[0:2] = b"MZ"
    struct.pack_into("<I", mz, 0x3c, 64)
    coff = b"PE\0\0" + struct.pack("<HHIIIHH", 0x14c, 1, 0, 0, 0, 224, 0x102)
    opt = bytearray(224)
    struct.pack_into("<H", opt, 0, 0x10b)
    struct.pack_into("<H", opt, 68, 2)
    sec = b".text\0\0\0" + struct.pack("<IIIIIIHHI", 0x1000, 0x1000, 0x200,
                                        0x200, 0, 0, 0, 0, 0x60000020)
    out = bytes(mz) + coff + bytes(opt) + sec
    return out + b"\0" * (0x200 - len(out)) + b"\xc3" + b"\0" * 0x1ff


def _tnef_attr(level, attr_id, data):
    """One TNEF attribute: level, id (type in the high word), length, data
    and the checksum of data (MS-OXTNEF 2.1.3.1)."""
    return (struct.pack("<BII", level, attr_id, len(data)) + data +
            struct.pack("<H", sum(data) & 0xFFFF))


def _mapi_string(prop_type, prop_id, value):
    """One MAPI property with one string value: type, id, count, length,
    the bytes padded to four (MS-OXTNEF 2.1.3.4)."""
    pad = b"\0" * (-len(value) % 4)
    return struct.pack("<HHII", prop_type, prop_id, 1, len(value)) + value + pad


def tnef(attachments, codepage=1258):
    """A winmail.dat as Outlook writes one, of attachments (title, long
    name, data): the 8.3 title in attAttachTitle, the long name as
    PR_ATTACH_LONG_FILENAME, a str in UTF-16 (PT_UNICODE), bytes as they
    are in the code page (PT_STRING8); None leaves it out."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += _tnef_attr(1, 0x00089006, struct.pack("<I", 0x00010000))
    out += _tnef_attr(1, 0x00069007, struct.pack("<II", codepage, 0))
    out += _tnef_attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")
    for title, long_name, data in attachments:
        # attAttachRendData: a file attachment, no position or picture.
        out += _tnef_attr(2, 0x00069002,
                          struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0))
        out += _tnef_attr(2, 0x00018010, title + b"\0")
        out += _tnef_attr(2, 0x0006800F, data)
        if long_name is not None:
            if isinstance(long_name, str):
                prop = _mapi_string(0x001F, 0x3707,
                                    long_name.encode("utf-16-le") + b"\0\0")
            else:
                prop = _mapi_string(0x001E, 0x3707, long_name + b"\0")
            out += _tnef_attr(2, 0x00069005, struct.pack("<I", 1) + prop)
    return out
