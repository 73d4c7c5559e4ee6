/*
 * facts.h - what the analysis of one message produces.
 *
 * This header is the whole contract between the parts of vanthu: the
 * analysis workers fill a struct analysis, the daemon adds the envelope
 * (struct msg_info), rules/ reads both to decide, store/ records them, and
 * report.c prints them as the JSON of `vanthu-milter -t --json`.
 *
 * Every string is UTF-8 in NFC, owned by the structure that holds it, and
 * NULL when the fact is unknown: an empty field beats a wrong one.
 * Nothing here includes libmilter, SQLite or PCRE2.
 */
#ifndef VANTHU_FACTS_H
#define VANTHU_FACTS_H

#include <stddef.h>
#include <stdint.h>

/* Document facts, indexed so that JSON, the worker protocol, rules and the
 * register can treat them alike.  fact_names[] holds the JSON names. */
enum fact_id {
	FACT_ISSUER,
	FACT_NUMBER,
	FACT_SYMBOL,
	FACT_REFERENCE,		/* normalised: 572-CV/TU, 15/QĐ-BNV */
	FACT_REFERENCE_PRINTED,	/* as printed: Số 572 - CV/TU */
	FACT_YEAR,		/* year inside the number, when present */
	FACT_DATE,		/* ISO 8601 date */
	FACT_PLACE,
	FACT_TYPE_CODE,		/* NULL for a state công văn; CV for a Party one */
	FACT_TYPE_NAME,		/* Công văn, Quyết định ... */
	FACT_SUMMARY,		/* trích yếu, without a leading V/v */
	FACT_URGENCY,		/* KHẨN, THƯỢNG KHẨN, HỎA TỐC */
	FACT_SECRECY,		/* MẬT, TỐI MẬT, TUYỆT MẬT */
	FACT_CIRCULATION,	/* LƯU HÀNH NỘI BỘ ... */
	FACT_SIGNER_NAME,
	FACT_SIGNER_POSITION,
	FACT_SIGNER_COMPETENCE,	/* T/M, KT., TL., TUQ. */
	FACT_RECIPIENTS,	/* Nơi nhận, one recipient a line */
	FACT__COUNT
};

/* Where a fact was read; fact_source_names[] holds the JSON names. */
enum fact_source {
	SRC_NONE,
	SRC_EDXML,
	SRC_TEXT,
	SRC_FILENAME,
	SRC_SUBJECT,
	SRC_PAGE_HEADER,	/* a DOCX or ODT page header: marks only */
	SRC_PAGE_FOOTER,	/* its page footer, likewise */
	SRC__COUNT
};

struct fact {
	char   *value;
	enum fact_source source;
	unsigned char confidence;	/* 0..100 */
};

struct doc_facts {
	struct fact f[FACT__COUNT];
};

/* Signature verdicts, from strongest to weakest: the weakest of a
 * document's signatures is its signature_verdict. */
enum sig_verdict {
	SIG_VALID,
	SIG_ABSENT,
	SIG_UNTRUSTED,
	SIG_EXPIRED,
	SIG_REVOKED,
	SIG_MODIFIED,
	SIG_INVALID,
	SIG_MALFORMED,
	SIG__COUNT
};

struct signature {
	enum sig_verdict verdict;
	char   *signer;			/* subject CN */
	char   *organization;		/* subject O */
	char   *email;
	char   *issuer;
	char   *serial;			/* hex */
	char   *signing_time;		/* ISO 8601, UTC */
	char   *signing_time_source;	/* timestamp | claimed | none */
	char   *subfilter;
	char   *digest;
	int     covers_whole_file;
	char   *reason;			/* why, when not valid */

	/* Set for a signature that came as a file of its own (.p7s) rather
	 * than inside the document: that file is analysis.sigfiles[file]
	 * (aw_detached.c). */
	int     detached;
	size_t  file;
};

/* Where in the message a document came from. */
enum doc_origin {
	ORIGIN_ATTACHMENT,
	ORIGIN_INLINE,
	ORIGIN_ARCHIVE,		/* origin_detail names the archive */
	ORIGIN_FORWARDED,	/* inside a message/rfc822 part */
	ORIGIN_EDXML,		/* attachment inside an edXML packet */
	ORIGIN__COUNT
};

struct document {
	char   *name;		/* decoded, NFC, never a path */
	char    sha256[65];	/* lower-case hex */
	uint64_t size;
	char   *type;		/* real MIME type, from the bytes */
	char   *declared_type;
	char   *part;		/* place in the MIME tree: 2.1 */
	enum doc_origin origin;
	char   *origin_detail;	/* archive name, forwarded subject */
	int     needs_ocr;
	int     text_from_signed_revision;
	char   *text;		/* extracted text, capped, NFC */
	char   *page_headers;	/* worker side: page headers' text, or NULL */
	char   *page_footers;	/* and footers' (DOCX, ODT) */
	struct doc_facts facts;
	struct signature *sigs;
	size_t  nsigs;
	enum sig_verdict sig_verdict;

	/* The decoded bytes: in the worker; in the daemon only where
	 * analysis.doc_fds has no file for them. */
	unsigned char *data;
	size_t  len;
	size_t  signed_len;	/* bytes the last PDF signature covers; 0: none */

	/* What the bytes are, from the real type: pdf, docx, doc, odt, xlsx,
	 * xls, ods, rtf, image, edxml, signature, or program (a program or
	 * script, kept so that the rules can refuse it) (aw_type.c). */
	char   *kind;

	/* In analysis.sigfiles only: the index in docs of the document this
	 * detached signature file signs. */
	size_t  signs;
};

struct skipped {
	char   *part;
	char   *name;
	char   *reason;		/* limit: ..., unsupported: ..., malformed: ... */
	char   *archive;	/* the archive's name, for a file inside one */
};

struct smime_result {
	int     present;
	enum sig_verdict verdict;
	char   *signer;		/* e-mail or CN */
	int     from_matches;
	char   *reason;
};

/* What the analysis of one message found. */
struct analysis {
	struct document *docs;
	size_t  ndocs;
	struct skipped *skipped;
	size_t  nskipped;
	struct smime_result smime;
	char   *error;		/* set when the analysis itself failed */

	/*
	 * Worker side only, for S/MIME: the exact bytes that were signed (the
	 * first part of multipart/signed, canonical CRLF as received) and the
	 * DER of the PKCS#7 signature; for application/pkcs7-mime the DER of
	 * the whole signed-data in smime_der and no smime_content.
	 */
	unsigned char *smime_content;
	size_t  smime_content_len;
	unsigned char *smime_der;
	size_t  smime_der_len;

	/*
	 * Daemon side only: per document, an unnamed file in the spool that
	 * holds its bytes as the worker sent them (wproto.c), -1 where they
	 * are in document.data instead; NULL when no document came.
	 */
	int    *doc_fds;

	/*
	 * Detached signature files paired with the document each signs
	 * (aw_detached.h): not documents of their own, but kept with theirs.
	 * sigfile_fds is to them what doc_fds is to docs.
	 */
	struct document *sigfiles;
	size_t  nsigfiles;
	int    *sigfile_fds;
};

/* Direction of a message, from the agency's point of view. */
enum direction {
	DIR_INBOUND,
	DIR_OUTBOUND,
	DIR_INTERNAL,
	DIR_TRANSIT,		/* neither end is ours */
	DIR__COUNT
};

struct header {
	char   *name;
	char   *value;		/* unfolded, as received (not decoded) */
};

/* The envelope and the headers the daemon saw. */
struct msg_info {
	char   *queue_id;
	char   *message_id;
	char   *client_addr;
	char   *auth;		/* {auth_authen}, NULL when not authenticated */
	char   *from;		/* envelope sender, without <> */
	char  **rcpts;
	size_t  nrcpts;
	char   *subject;	/* decoded, NFC */
	char   *header_from;
	struct header *headers;
	size_t  nheaders;
	uint64_t size;		/* bytes of header and body */
	enum direction direction;
	int     official;	/* sender in OfficialDomains */
};

extern const char *const fact_names[FACT__COUNT];
extern const char *const fact_source_names[SRC__COUNT];
extern const char *const sig_verdict_names[SIG__COUNT];
extern const char *const doc_origin_names[ORIGIN__COUNT];
extern const char *const direction_names[DIR__COUNT];

int     fact_by_name(const char *name);		/* -1 when unknown */
int     sig_verdict_by_name(const char *name);	/* -1 when unknown */
enum sig_verdict sig_verdict_weakest(enum sig_verdict, enum sig_verdict);

void    fact_set(struct doc_facts *, enum fact_id, const char *value,
		 enum fact_source, unsigned char confidence);
void    doc_facts_clear(struct doc_facts *);
void    signature_clear(struct signature *);
void    document_clear(struct document *);
struct document *analysis_add_document(struct analysis *);
void    analysis_skip(struct analysis *, const char *part, const char *name,
		      const char *reason);
/* The same for a file inside an archive, named by archive. */
void    analysis_skip_in(struct analysis *, const char *part, const char *name,
			 const char *reason, const char *archive);
void    analysis_clear(struct analysis *);
void    msg_info_clear(struct msg_info *);

#endif
