/*
 * verify_cmd.h - `vanthu verify`: check the signatures of one file.
 *
 *	vanthu verify [--json] [-c CONFIG] [--anchors PATH]...
 *		[--intermediates PATH]... [--crl PATH]... [--skew SECONDS]
 *		FILE.pdf|FILE.eml
 *
 * Trust comes from TrustAnchors, Intermediates, CRLFiles and
 * SignatureClockSkew of CONFIG (vanthu.conf(5)) when -c is given, plus
 * the paths of the options; --skew overrides the configured skew.
 *
 * A PDF gets every signature with its verdict; a message (anything not
 * starting with %PDF) gets its S/MIME signature (multipart/signed or
 * application/pkcs7-mime) and the signatures of every PDF it carries.
 * argv[0] is "verify".  Exit status: 0 when there is at least one
 * signature and every one is valid, 1 otherwise, 2 for a usage, file or
 * trust-setting error.
 */
#ifndef VANTHU_VERIFY_CMD_H
#define VANTHU_VERIFY_CMD_H

int     verify_main(int argc, char **argv);

#endif
