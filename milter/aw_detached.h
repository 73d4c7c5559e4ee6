/*
 * aw_detached.h - detached signature files and the documents they sign.
 *
 * An agency may send its seal's signature as a separate file beside the
 * document (cv.pdf and cv.pdf.p7s): a CMS SignedData without content
 * whose signed bytes are the document's.  aw_detached_pair() finds, for
 * each document of kind "signature", the document of the same container
 * (the message or forwarded message it is attached to, or its archive or
 * edXML packet) that it signs:
 *
 *  - a document whose digest equals the signature's messageDigest, one
 *    whose name matches first ("cv.pdf.p7s" or "cv.p7s" for "cv.pdf");
 *  - failing that, the one document whose name matches, whose bytes
 *    then are not those signed: its verdict says so (invalid).
 *
 * A paired file leaves docs for analysis.sigfiles (signs: the index of
 * its document), and its verified signature is appended to that
 * document's sigs (detached, file: its index in sigfiles), the
 * document's verdict becoming the weakest of all its signatures.  A
 * signature file that signs nothing here stays a document.
 */
#ifndef VANTHU_AW_DETACHED_H
#define VANTHU_AW_DETACHED_H

#include "facts.h"
#include "sig_trust.h"

void    aw_detached_pair(const struct sig_trust *, struct analysis *);

#endif
