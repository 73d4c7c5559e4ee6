#!/bin/sh
# run.sh - signature verification, end to end, with pdfsig and
# `openssl cms -verify` as oracles.
#
# Everything is made here: a test PKI (pki.sh), PDFs written by hand
# (mkpdf.py) and signed with podofosign, with `pdfsig -add-signature`
# from an NSS database, with `mutool sign`, and with cades_sign (our test-only signer, for
# CAdES, time-stamps, adbe.pkcs7.sha1 and the odd cases), S/MIME messages
# signed with `openssl cms -sign`.  Each case checks our exact verdicts
# and, where it applies, what pdfsig or openssl says of the same file.
# Where the two disagree on purpose, a comment says why.
set -u
top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
V=$build/tests/tools/sig_verify
S=$build/tests/tools/cades_sign
M="python3 $top/tests/sig/mkpdf.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-sig.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
n=0

check() {	# check SENTENCE EXPECTED ACTUAL
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "#   expected: $2"
		echo "#   got:      $3"
	fi
}

# Our verdicts: the per-signature verdicts and the exit status.
TRUST="--anchors K/anchors --intermediates K/inter.pem"
verdicts() {	# verdicts FILE [options]
	f=$1
	shift
	out=$("$V" $TRUST "$@" "$f" 2>&1)
	rc=$?
	echo "$out" >"$f.verify"
	echo $(echo "$out" | sed -n 's/^signature [0-9]*: //p') rc=$rc
}
field() {	# field FILE N NAME: a field of signature N from the last run
	awk -v n="$2" -v f="  $3:" '/^signature /{s++}
	    s==n && index($0, f) == 1 {
	    sub(/^ *[^:]*: */, ""); print; exit}' "$1.verify"
}

# pdfsig's view: "Signature Validation" and "Certificate Validation",
# from one pdfsig run per file.
pdfsig_of() {
	[ -f "$1.pdfsig" ] || pdfsig -nssdir sql:$T/nss "$1" >"$1.pdfsig" 2>/dev/null
	cat "$1.pdfsig"
}
sigval() {
	pdfsig_of "$1" |
	    sed -n 's/^  - Signature Validation: //p' | tr -d '.' | tr ' ' '_' |
	    tr '\n' ' '
}
certval() {
	pdfsig_of "$1" |
	    sed -n 's/^  - Certificate Validation: //p' | tr -d '.' | tr ' ' '_' |
	    tr '\n' ' '
}
whole() {
	pdfsig_of "$1" |
	    sed -n 's/^  - \(.*\) document signed/\1/p' | tr ' ' '_' | tr '\n' ' '
}

# ---- the PKI and the NSS database pdfsig reads ----
sh "$top/tests/sig/pki.sh" K >/dev/null 2>&1 || { echo "not ok 1 - the test PKI is made"; exit 1; }
mkdir nss
certutil -N -d sql:nss --empty-password
certutil -A -d sql:nss -n root -t "CT,C,C" -i K/root.pem
certutil -A -d sql:nss -n inter -t ",," -i K/inter.pem
for k in person agency; do
	openssl pkcs12 -export -inkey K/$k.key -in K/$k.pem -certfile K/inter.pem \
	    -name $k -out $k.p12 -passout pass: &&
	pk12util -i $k.p12 -d sql:nss -W '' >/dev/null
done

$M base base.pdf
# sign IN OUT SUBFILTER FIELD SIGNER [cades_sign options] (own signer)
sign() {
	in=$1 out=$2 sf=$3 fld=$4 who=$5
	shift 5
	r=$($M ${PREP:-prepare} "$in" "$out" "$sf" "$fld" ${SHORT:-0}) &&
	"$S" "$out" $r K/$who.key K/$who.pem "$@"
}

# ---- unsigned ----
check "an unsigned PDF has no signature and verify exits 1" \
    "rc=1" "$(verdicts base.pdf)"
check "pdfsig agrees that the unsigned PDF has no signature" "" "$(sigval base.pdf)"

# ---- podofosign: person, then agency seal ----
podofosign -in base.pdf -out pd1.pdf -cert K/person.pem -pkey K/person.key \
    -digest SHA256 >/dev/null 2>&1
podofosign -in pd1.pdf -out pd2.pdf -cert K/agency.pem -pkey K/agency.key \
    -digest SHA256 >/dev/null 2>&1
check "two podofosign signatures (person, agency) are both valid" \
    "valid valid rc=0" "$(verdicts pd2.pdf)"
check "the person's signature is first and names its signer" \
    "Nguyen Van A|UBND Tinh Test|adbe.pkcs7.detached|sha256|no" \
    "$(field pd2.pdf 1 signer)|$(field pd2.pdf 1 organization)|$(field pd2.pdf 1 subfilter)|$(field pd2.pdf 1 digest)|$(field pd2.pdf 1 "covers whole file")"
check "the agency's seal is second, with its e-mail, and covers the whole file" \
    "UBND Tinh Test|vanthu@test.gov.vn|yes" \
    "$(field pd2.pdf 2 signer)|$(field pd2.pdf 2 email)|$(field pd2.pdf 2 "covers whole file")"
check "the serial is the certificate's" \
    "$(openssl x509 -in K/agency.pem -noout -serial | sed 's/serial=//')" \
    "$(field pd2.pdf 2 serial)"
check "pdfsig also finds both podofosign signatures valid" \
    "Signature_is_Valid Signature_is_Valid " "$(sigval pd2.pdf)"
check "pdfsig also says only the second covers the whole file" \
    "Not_total Total " "$(whole pd2.pdf)"
# pdfsig (NSS) checks certificates for the e-mail signing usage, so it
# rejects the agency certificate whose only EKU is id-kp-documentSigning;
# vanthu requires document signing for PDFs (README "Signatures").
check "pdfsig trusts the person but not the document-signing-only agency cert" \
    "Certificate_is_Trusted Unknown_issue_with_Certificate_or_corrupted_data " \
    "$(certval pd2.pdf)"

# ---- pdfsig -add-signature with an NSS database ----
pdfsig -nssdir sql:nss -add-signature -nick person \
    -new-signature-field-name S1 base.pdf ps1.pdf >/dev/null 2>&1
pdfsig -nssdir sql:nss -add-signature -nick agency \
    -new-signature-field-name S2 ps1.pdf ps2.pdf >/dev/null 2>&1
# poppler 22.12 cannot add ETSI.CAdES.detached (-etsi) with
# -add-signature; CAdES comes from cades_sign below.
check "two signatures added by pdfsig are both valid" \
    "valid valid rc=0" "$(verdicts ps2.pdf)"
check "pdfsig verifies its own two signatures" \
    "Signature_is_Valid Signature_is_Valid " "$(sigval ps2.pdf)"

# ---- mutool sign (MuPDF): it signs existing, empty signature fields ----
mutool_v() {	# what `mutool sign -v` concludes for each signature
	mutool sign -v "$1" 2>/dev/null | sed -n 's/^	The //p' | tr ' ' '_' |
	    tr -d '.' | tr '\n' ' '
}
n1=$($M field base.pdf mf1.pdf SigPerson)
mutool sign -s person.p12 -P '' -o mu1.pdf mf1.pdf "$n1" >/dev/null 2>&1
n2=$($M field mu1.pdf mf2.pdf SigAgency)
mutool sign -s agency.p12 -P '' -o mu2.pdf mf2.pdf "$n2" >/dev/null 2>&1
check "two mutool signatures in fields made beforehand are both valid" \
    "valid valid rc=0" "$(verdicts mu2.pdf)"
check "mutool signs with SHA-1, and the report says so" \
    "sha1|adbe.pkcs7.detached" "$(field mu2.pdf 1 digest)|$(field mu2.pdf 1 subfilter)"
check "pdfsig verifies both mutool signatures" \
    "Signature_is_Valid Signature_is_Valid " "$(sigval mu2.pdf)"
# MuPDF calls any later revision an edit, even one that only adds the
# next signature; vanthu accepts what signing needs (pdf_revision.c).
check "mutool -v: the first was edited since, the second is unchanged" \
    "signature_is_valid_but_there_have_been_edits_since_signing document_is_unchanged_since_signing " \
    "$(mutool_v mu2.pdf)"
$M modify mu1.pdf mum.pdf
check "a content change after a mutool signature is modified" \
    "modified rc=1" "$(verdicts mum.pdf)"
check "mutool -v sees edits since signing too" \
    "signature_is_valid_but_there_have_been_edits_since_signing " "$(mutool_v mum.pdf)"

# ---- our own signer: CAdES with a time-stamp, plain PKCS#7, SHA-1 ----
sign base.pdf c1.pdf ETSI.CAdES.detached Sig1 person -chain K/inter.pem
sign c1.pdf c2.pdf ETSI.CAdES.detached Sig2 agency -tsa K/tsa.key K/tsa.pem 1790000000
check "CAdES person then CAdES agency with a time-stamp are both valid" \
    "valid valid rc=0" "$(verdicts c2.pdf)"
check "the first signing time is claimed, the second is the time-stamp's" \
    "claimed|2026-09-21T14:13:20Z (timestamp)" \
    "$(field c2.pdf 1 "signing time" | sed 's/.*(\(.*\))/\1/')|$(field c2.pdf 2 "signing time")"
check "pdfsig finds both CAdES signatures valid" \
    "Signature_is_Valid Signature_is_Valid " "$(sigval c2.pdf)"
out=$("$V" --json $TRUST c2.pdf)
check "--json gives signatures in file order and the weakest verdict" \
    "valid|ETSI.CAdES.detached|timestamp|True|2" \
    "$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["signatures"]
print("%s|%s|%s|%s|%d" % (d["signature_verdict"], s[1]["subfilter"], s[1]["signing_time_source"], s[1]["covers_whole_file"], len(s)))')"

sign c2.pdf dts.pdf ETSI.RFC3161 DocTS tsa -doctime
check "a document time-stamp (ETSI.RFC3161) after both signatures is valid" \
    "valid valid valid rc=0" "$(verdicts dts.pdf)"
check "it names the time-stamp authority, its digest, and covers the file" \
    "Test TSA|sha256|yes" \
    "$(field dts.pdf 3 signer)|$(field dts.pdf 3 digest)|$(field dts.pdf 3 "covers whole file")"
# poppler 22.12 cannot validate document time-stamps at all.
check "pdfsig leaves the document time-stamp unverified" \
    "Signature_is_Valid Signature_is_Valid Signature_has_not_yet_been_verified " \
    "$(sigval dts.pdf)"

"$build/vanthu" verify $TRUST c2.pdf >vanthu.out 2>&1
check "the clerk's tool runs the same check as \`vanthu verify\`" \
    "0|signature 2: valid" "$?|$(sed -n 's/^\(signature 2: .*\)/\1/p' vanthu.out)"
# The trust the daemon is configured with, named as for every command
# (vanthu -c FILE): a clerk sees the daemon's verdict.
printf 'Database %s/none.sqlite\nTrustAnchors %s/K/anchors\nIntermediates %s/K/inter.pem\n' "$T" "$T" "$T" >trust.conf
"$build/vanthu" -c trust.conf verify c2.pdf >vanthu.out 2>&1
check "vanthu -c FILE verify takes the trust settings of FILE" \
    "0|signature 2: valid" "$?|$(sed -n 's/^\(signature 2: .*\)/\1/p' vanthu.out)"
"$build/vanthu" -c trust.conf verify -c /dev/null c2.pdf >vanthu.out 2>&1
check "and verify's own -c is taken over it" \
    "1|signature 2: untrusted" "$?|$(sed -n 's/^\(signature 2: [a-z]*\).*/\1/p' vanthu.out)"

sign base.pdf k1.pdf adbe.pkcs7.detached Sig1 person -pkcs7
sign k1.pdf k2.pdf adbe.pkcs7.sha1 Sig2 agency -sha1
check "adbe.pkcs7.detached and adbe.pkcs7.sha1 signatures are valid" \
    "valid valid rc=0" "$(verdicts k2.pdf)"
check "the adbe.pkcs7.sha1 signature reports its SHA-1 digest" \
    "adbe.pkcs7.sha1|sha1" "$(field k2.pdf 2 subfilter)|$(field k2.pdf 2 digest)"
check "pdfsig agrees on both" \
    "Signature_is_Valid Signature_is_Valid " "$(sigval k2.pdf)"

# ---- intermediates: real PDFs embed only the signer ----
sign base.pdf only.pdf ETSI.CAdES.detached Sig1 person
check "a signer without its intermediate is untrusted when none is configured" \
    "untrusted rc=1" "$(TRUST="--anchors K/anchors"; verdicts only.pdf)"
check "the configured intermediate completes the chain" \
    "valid rc=0" "$(verdicts only.pdf)"
check "a DER trust anchor file works as well as a PEM directory" \
    "valid rc=0" "$(TRUST="--anchors K/root.der --intermediates K/inter.pem"; verdicts only.pdf)"

# ---- certificates that must not pass ----
sign base.pdf exp.pdf ETSI.CAdES.detached Sig1 expired -chain K/inter.pem
check "a signer whose certificate expired before the (claimed) signing time is expired" \
    "expired rc=1" "$(verdicts exp.pdf)"
check "pdfsig also says the certificate has expired" \
    "Certificate_has_Expired " "$(certval exp.pdf)"
sign base.pdf expts.pdf ETSI.CAdES.detached Sig1 expired -chain K/inter.pem \
    -tsa K/tsa.key K/tsa.pem 1593561600
check "the same signer with a time-stamp from its validity period is valid" \
    "valid rc=0" "$(verdicts expts.pdf)"
check "its signing time is the time-stamp's" \
    "2020-07-01T00:00:00Z (timestamp)" "$(field expts.pdf 1 "signing time")"
# pdfsig checks the certificate at the present time and ignores the
# time-stamp, so it still calls the certificate expired.
check "pdfsig still calls it expired (it ignores the time-stamp)" \
    "Certificate_has_Expired " "$(certval expts.pdf)"

sign base.pdf rev.pdf ETSI.CAdES.detached Sig1 revoked -chain K/inter.pem
check "a revoked signer is revoked when the CRL is configured" \
    "revoked rc=1" "$(verdicts rev.pdf --crl K/inter.crl)"
check "a DER CRL works as well" \
    "revoked rc=1" "$(verdicts rev.pdf --crl K/inter.crl.der)"
check "without CRLFiles the revoked signer cannot be known as such" \
    "valid rc=0" "$(verdicts rev.pdf)"
# pdfsig reads no CRL file; it knows revocation from CRLs imported into
# its NSS database, so the same case is asked of a copy holding the CRL.
check "pdfsig, without the CRL, trusts the revoked signer too" \
    "Certificate_is_Trusted " "$(certval rev.pdf)"
cp -r nss nss-crl
crlutil -I -i K/inter.crl.der -d sql:nss-crl -t 1 >/dev/null 2>&1
check "pdfsig with the CRL in its database calls it revoked as well" \
    "Certificate Validation: Certificate has been Revoked." \
    "$(pdfsig -nssdir sql:nss-crl rev.pdf 2>/dev/null | sed -n 's/^  - \(Certificate Validation\)/\1/p')"

sign base.pdf str.pdf ETSI.CAdES.detached Sig1 stranger -chain K/other.pem
check "a signer under an unconfigured root is untrusted" \
    "untrusted rc=1" "$(verdicts str.pdf)"
check "pdfsig does not trust it either" \
    "Certificate_issuer_isn't_Trusted " "$(certval str.pdf)"

sign base.pdf mail.pdf ETSI.CAdES.detached Sig1 mail -chain K/inter.pem
check "an e-mail-only certificate does not sign documents" \
    "untrusted rc=1" "$(verdicts mail.pdf)"
check "the reason names the certificate purpose" \
    "the certificate is not for document signing (extended key usage)" \
    "$(field mail.pdf 1 reason)"
# NSS accepts e-mail protection for signing, which is the very usage
# vanthu refuses for documents.
check "pdfsig accepts the e-mail certificate (deliberate difference)" \
    "Certificate_is_Trusted " "$(certval mail.pdf)"

sign base.pdf noess.pdf ETSI.CAdES.detached Sig1 person -pkcs7 -chain K/inter.pem
check "a CAdES SubFilter without the ESS signing-certificate attribute is invalid" \
    "invalid rc=1" "$(verdicts noess.pdf)"
# pdfsig does not check the ESS attribute of CAdES signatures.
check "pdfsig finds the digest and signature fine (it skips the ESS check)" \
    "Signature_is_Valid " "$(sigval noess.pdf)"
sign base.pdf nocert.pdf adbe.pkcs7.detached Sig1 person -pkcs7 -nocert
check "a signature that embeds no certificate is untrusted, with the reason" \
    "untrusted rc=1|the signer's certificate is neither embedded nor configured" \
    "$(verdicts nocert.pdf)|$(field nocert.pdf 1 reason)"

# ---- SignatureClockSkew: local time written as UTC ----
sign base.pdf skew.pdf adbe.pkcs7.detached Sig1 skewed -pkcs7 -noattr -chain K/inter.pem
check "a claimed time 3 h before the certificate starts is expired without skew" \
    "expired rc=1" "$(verdicts skew.pdf)"
check "SignatureClockSkew of 7 h accepts it" \
    "valid rc=0" "$(verdicts skew.pdf --skew 25200)"
check "a signature without signed attributes takes its claimed time from /M" \
    "2026-11-21T05:00:00Z (claimed)" "$(field skew.pdf 1 "signing time")"

# ---- one trust store, several threads ----
check "threads sharing one trust store get the same verdicts" \
    "same valid valid " "$("$build/tests/tools/sig_threads" c2.pdf K/anchors K/inter.pem)"
check "and the same with a CRL configured" \
    "same revoked " "$("$build/tests/tools/sig_threads" rev.pdf K/anchors K/inter.pem K/inter.crl)"

# ---- bytes that changed ----
$M tamper c2.pdf tamper.pdf
check "a changed byte inside both signed ranges makes both invalid" \
    "invalid invalid rc=1" "$(verdicts tamper.pdf)"
check "pdfsig sees the digest mismatch too" \
    "Digest_Mismatch Digest_Mismatch " "$(sigval tamper.pdf)"

$M modify c1.pdf mod.pdf
check "an update changing the page text after signing is modified" \
    "modified rc=1" "$(verdicts mod.pdf)"
check "the reason names the rewritten content stream" \
    "a later revision changes the document: object 4: a stream (page content or resource) is rewritten" \
    "$(field mod.pdf 1 reason)"
# pdfsig checks the signed ranges only; it reports "Not total document
# signed", which is where its view and ours meet.
check "pdfsig calls that signature valid but not covering the document" \
    "Signature_is_Valid |Not_total " "$(sigval mod.pdf)|$(whole mod.pdf)"
sign mod.pdf mod2.pdf ETSI.CAdES.detached Sig2 agency
check "a later signature over the changed text is valid, the first stays modified" \
    "modified valid rc=1" "$(verdicts mod2.pdf)"
# What a later revision may write again is judged by what the object was
# in the signed revision, not by what the new copy calls itself: page
# text whose stream dictionary claims to be a signature, an xref stream,
# a signature widget or an AcroForm is still page text (pdftotext shows
# the change).
for e in "/Type /Sig" "/Type /XRef" "/Subtype /Widget" "/FT /Sig" "/Fields []"; do
	$M disguise c1.pdf dis.pdf "$e"
	check "page text rewritten with \"$e\" in its stream dictionary is modified" \
	    "modified rc=1|QUYET DINH so 99/QD-BNV" \
	    "$(verdicts dis.pdf)|$(pdftotext dis.pdf - 2>/dev/null | head -1)"
done
check "the reason names the content stream, not what it claims to be" \
    "a later revision changes the document: object 4: a stream (page content or resource) is rewritten" \
    "$(field dis.pdf 1 reason)"

$M annotate c1.pdf note.pdf
check "an added text annotation after signing is modified" \
    "modified rc=1" "$(verdicts note.pdf)"
# /Type is optional in an annotation dictionary (ISO 32000-1 §12.5.2):
# viewers show the note all the same.
$M annotate c1.pdf note2.pdf notype
check "an added text annotation without /Type /Annot is modified as well" \
    "modified rc=1|a later revision changes the document: object 8: a Text annotation" \
    "$(verdicts note2.pdf)|$(field note2.pdf 1 reason)"
# A widget need not carry /FT: the field it is a kid of may (ISO 32000-1
# §12.7.3.1).  A signature's widget may be such a kid; a widget added under
# a text field is the text field's, and paints whatever its appearance
# says over the signed page.
$M base-form bf.pdf
sign bf.pdf bf1.pdf ETSI.CAdES.detached Sig1 person
PREP=prepare-kid sign bf1.pdf bf2.pdf ETSI.CAdES.detached Sig2 agency
check "a second signature whose widget is a kid of its field leaves both valid" \
    "valid valid rc=0" "$(verdicts bf2.pdf)"
check "pdfsig verifies both as well" \
    "Signature_is_Valid Signature_is_Valid " "$(sigval bf2.pdf)"
$M overlay bf1.pdf bfo.pdf 6
check "a widget without /FT added under a text field is modified" \
    "modified rc=1|a later revision changes the document: object 10: a widget of a Tx field" \
    "$(verdicts bfo.pdf)|$(field bfo.pdf 1 reason)"
check "pdftotext shows the text its appearance paints" \
    "1" "$(pdftotext bfo.pdf - 2>/dev/null | grep -c 99/QD-BNV)"
$M overlay bf1.pdf bfw.pdf 6 7
check "the text field's own widget rewritten with an appearance is modified" \
    "modified rc=1|a later revision changes the document: object 7: a widget of a Tx field" \
    "$(verdicts bfw.pdf)|$(field bfw.pdf 1 reason)"
$M overlay bf1.pdf bft.pdf 5
check "a widget under a parent that has no field type is modified" \
    "modified rc=1|a later revision changes the document: object 10: a widget of a field without a type" \
    "$(verdicts bft.pdf)|$(field bft.pdf 1 reason)"
for p in self 99; do
	$M overlay bf1.pdf bfc.pdf $p
	check "a widget whose parent is $p is modified" \
	    "modified rc=1|a later revision changes the document: object 10: a widget whose field cannot be found" \
	    "$(verdicts bfc.pdf)|$(field bfc.pdf 1 reason)"
done

$M dss c2.pdf dss.pdf
check "adding validation data (a DSS) after signing keeps both valid" \
    "valid valid rc=0" "$(verdicts dss.pdf)"
check "but the last signature no longer covers the whole file" \
    "no" "$(field dss.pdf 2 "covers whole file")"

# A PDF whose catalog, pages and page are compressed in an object stream,
# as many word processors write them: a signing tool then rewrites the
# page as a plain object, which must be compared with the compressed one.
$M base-objstm bo.pdf
sign bo.pdf bo1.pdf ETSI.CAdES.detached Sig1 person
sign bo1.pdf bo2.pdf ETSI.CAdES.detached Sig2 agency
check "a PDF with its page in an object stream, signed twice, keeps both valid" \
    "valid valid rc=0" "$(verdicts bo2.pdf)"
check "pdfsig verifies both as well" \
    "Signature_is_Valid Signature_is_Valid " "$(sigval bo2.pdf)"
$M modify bo1.pdf bom.pdf
check "changing its page text after signing is modified" \
    "modified rc=1" "$(verdicts bom.pdf)"

# A page whose /Contents is an indirect array: a later revision that
# appends a stream to it paints over the signed text.  Appending is what
# an /Annots or /Fields array may do, not an array of page contents.
$M base-array ba.pdf
sign ba.pdf ba1.pdf ETSI.CAdES.detached Sig1 person
check "a page with an array of contents, signed, is valid" \
    "valid rc=0" "$(verdicts ba1.pdf)"
sign ba1.pdf ba2.pdf ETSI.CAdES.detached Sig2 agency
check "a second signature after it leaves both valid" \
    "valid valid rc=0" "$(verdicts ba2.pdf)"
$M grow ba1.pdf bag.pdf
check "a stream appended to the array of page contents is modified" \
    "modified rc=1|a later revision changes the document: object 4: an array of page contents or pages grows" \
    "$(verdicts bag.pdf)|$(field bag.pdf 1 reason)"
check "pdftotext shows the text painted over the signed one" \
    "QUYET DINH so 99/QD-BNV" "$(pdftotext bag.pdf - 2>/dev/null | head -1)"

# A shadow document: the signed revision carries a second catalog that
# nothing uses; an update writing no object at all, only a trailer that
# names that catalog, makes viewers show its page instead.  pdfsig then
# finds no signature at all, since the new catalog has no form.
$M base-shadow sh.pdf
sign sh.pdf sh1.pdf ETSI.CAdES.detached Sig1 person
check "a PDF carrying an unused second catalog, signed, shows the signed text" \
    "valid rc=0|QUYET DINH so 15/QD-BNV" \
    "$(verdicts sh1.pdf)|$(pdftotext sh1.pdf - 2>/dev/null | head -1)"
$M reroot sh1.pdf shr.pdf 6
check "an update whose trailer names the other catalog is modified" \
    "modified rc=1|a later revision changes the document: the trailer names another catalog, object 6" \
    "$(verdicts shr.pdf)|$(field shr.pdf 1 reason)"
check "pdftotext shows the other page, pdfsig no signature" \
    "QUYET DINH so 99/QD-BNV|" \
    "$(pdftotext shr.pdf - 2>/dev/null | head -1)|$(sigval shr.pdf)"
$M reroot sh1.pdf shs.pdf 1
check "an update whose trailer names the same catalog again changes nothing" \
    "valid rc=0" "$(verdicts shs.pdf)"

# ---- malformed ----
$M garbage c1.pdf garbage.pdf
check "garbage in /Contents is malformed" "malformed rc=1" "$(verdicts garbage.pdf)"
check "pdfsig cannot parse it either" \
    "Unknown_Validation_Failure " "$(sigval garbage.pdf)"
$M truncate c2.pdf cut.pdf 100
check "a file cut short after signing is malformed for the last signature" \
    "valid malformed rc=1" "$(verdicts cut.pdf)"
check "the reason is the range beyond the end of the file" \
    "byte range runs beyond the end of the file" "$(field cut.pdf 2 reason)"
SHORT=40 sign base.pdf short.pdf ETSI.CAdES.detached Sig1 person -chain K/inter.pem
check "a signature over a range that stops before %%EOF is malformed" \
    "malformed rc=1" "$(verdicts short.pdf)"
# pdfsig verifies whatever the range says and only notes that the file
# is not wholly signed; the unsigned tail holds the revision's trailer.
check "pdfsig calls the truncated-range signature valid, not total" \
    "Signature_is_Valid |Not_total " "$(sigval short.pdf)|$(whole short.pdf)"

# ---- trust settings ----
echo "not a certificate" >bad.pem
"$V" --anchors bad.pem base.pdf >/dev/null 2>bad.err
check "an unusable anchor file stops verify with exit 2" "2" "$?"
check "and names the file and the problem" \
    "bad.pem: no certificate in PEM or DER" "$(cat bad.err)"

printf 'TrustAnchors %s/K/anchors\nIntermediates %s/K/inter.pem\nCRLFiles %s/K/inter.crl\nSignatureClockSkew 25200\n' \
    "$T" "$T" "$T" >vanthu.conf
check "-c reads TrustAnchors, Intermediates, CRLFiles and SignatureClockSkew" \
    "valid|revoked|valid" \
    "$("$V" -c vanthu.conf only.pdf | sed -n 's/^signature 1: //p')|$("$V" -c vanthu.conf rev.pdf | sed -n 's/^signature 1: //p')|$("$V" -c vanthu.conf skew.pdf | sed -n 's/^signature 1: //p')"

# ---- through the milter: vanthu-milter -t --json ----
# A message signed with S/MIME carrying the two-signature PDF: the worker
# verifies both layers, and -n refuses an unusable trust file.
mkdir -p rules spool
printf 'rule note {\n\tlog "seen";\n}\n' >rules/00.rules
printf 'Rules %s/rules\nSpool %s/spool\nDatabase %s/register.sqlite\nTrustAnchors %s/K/anchors\nIntermediates %s/K/inter.pem\n' \
    "$T" "$T" "$T" "$T" "$T" >milter.conf
python3 - <<'PY'
import base64
b64 = base64.encodebytes(open("c2.pdf", "rb").read()).replace(b"\n", b"\r\n")
open("ent.txt", "wb").write(
    b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
    b'Content-Type: text/plain; charset=utf-8\r\n\r\nKinh gui.\r\n--B\r\n'
    b'Content-Type: application/pdf; name="15-QD-BNV.signed.pdf"\r\n'
    b'Content-Disposition: attachment; filename="15-QD-BNV.signed.pdf"\r\n'
    b'Content-Transfer-Encoding: base64\r\n\r\n' + b64 + b'--B--\r\n')
PY
openssl cms -sign -in ent.txt -signer K/mail.pem -inkey K/mail.key \
    -certfile K/inter.pem -binary >ent.smime 2>/dev/null
{ printf 'From: Van thu <clerk@so.example.gov.vn>\r\nTo: a@example.gov.vn\r\nSubject: QD 15\r\n'
  python3 -c 'import re,sys; sys.stdout.buffer.write(re.sub(rb"(?<!\r)\n", b"\r\n", sys.stdin.buffer.read()))' <ent.smime
} >signed.eml
check "vanthu-milter -t --json reports both PDF signatures and the S/MIME layer" \
    "valid valid valid|valid clerk@so.example.gov.vn True" \
    "$("$build/vanthu-milter" -c milter.conf -t signed.eml --json 2>/dev/null |
      python3 -c 'import json,sys; d=json.load(sys.stdin); x=d["documents"][0]; m=d["smime"]
print(x["signature_verdict"], " ".join(s["verdict"] for s in x["signatures"]) + "|" + m["verdict"], m["signer"], m["from_matches"])')"
out=$("$V" $TRUST signed.eml)
check "vanthu verify on the message checks the S/MIME layer and the attached PDF" \
    "0|valid|valid valid" \
    "$?|$(echo "$out" | sed -n 's/^.*: S\/MIME: //p')|$(echo $(echo "$out" | sed -n 's/^signature [0-9]*: //p'))"
printf 'TrustAnchors %s/none\n' "$T" >>milter.conf
"$build/vanthu-milter" -c milter.conf -n >/dev/null 2>milter.err
check "vanthu-milter -n names an unusable trust file and refuses to start" \
    "78|$T/none: No such file or directory" "$?|$(cat milter.err)"

# ---- S/MIME ----
smime() {	# smime OUT SIGNER FROM [openssl cms options]
	out=$1 who=$2 from=$3
	shift 3
	printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nK\xc3\xadnh g\xe1\xbb\xadi v\xc4\x83n b\xe1\xba\xa3n s\xe1\xbb\x91 15.\r\n' >body.txt
	openssl cms -sign -in body.txt -signer K/$who.pem -inkey K/$who.key \
	    -certfile K/inter.pem -binary "$@" >body.smime 2>/dev/null
	# As received over SMTP: every line ends CRLF.
	{ printf 'From: Van thu <%s>\r\nTo: a@example.gov.vn\r\nSubject: test\r\n' "$from"
	  python3 -c 'import re,sys; sys.stdout.buffer.write(re.sub(rb"(?<!\r)\n", b"\r\n", sys.stdin.buffer.read()))' <body.smime
	} >"$out"
}
sm() {		# our S/MIME verdict, signer, from_matches and exit status
	out=$("$V" $TRUST "$1" 2>&1)
	rc=$?
	echo $(echo "$out" | sed -n 's/^.*: S\/MIME: //p; s/^  signer: *//p; s/^  from matches: *//p') rc=$rc
}
cmsv() {	# openssl's verdict on the same message
	if openssl cms -verify -CAfile K/root.pem -certfile K/inter.pem \
	    -purpose smimesign -in "$1" -out /dev/null >/dev/null 2>&1; then
		echo good
	else
		echo bad
	fi
}
smime m1.eml mail clerk@so.example.gov.vn
check "a multipart/signed message is valid and its signer matches From:" \
    "valid clerk@so.example.gov.vn yes rc=0" "$(sm m1.eml)"
check "openssl cms -verify agrees" "good" "$(cmsv m1.eml)"
smime m2.eml mail someone.else@example.gov.vn
check "a valid signature whose e-mail is not From: says so" \
    "valid clerk@so.example.gov.vn no rc=0" "$(sm m2.eml)"
python3 -c 'import sys; d=open("m1.eml","rb").read(); open("m3.eml","wb").write(d.replace(b" 15.", b" 16.", 1))'
check "a changed body is invalid" "invalid clerk@so.example.gov.vn yes rc=1" "$(sm m3.eml)"
check "openssl cms -verify rejects it too" "bad" "$(cmsv m3.eml)"
smime m4.eml mail clerk@so.example.gov.vn -nodetach
check "application/pkcs7-mime signed-data is valid" \
    "valid clerk@so.example.gov.vn yes rc=0" "$(sm m4.eml)"
check "openssl cms -verify agrees on pkcs7-mime" "good" "$(cmsv m4.eml)"
smime m5.eml agency vanthu@test.gov.vn
check "a document-signing-only certificate does not sign e-mail" \
    "untrusted vanthu@test.gov.vn yes rc=1" "$(sm m5.eml)"
check "openssl cms -verify -purpose smimesign refuses it too" "bad" "$(cmsv m5.eml)"
tr -d '\r' <m1.eml >m6.eml
check "a message saved with bare LF line ends still verifies" \
    "valid clerk@so.example.gov.vn yes rc=0" "$(sm m6.eml)"
check "a message without S/MIME has no signature" \
    "absent rc=1" "$(printf 'From: a@b\r\n\r\nhi\r\n' >m7.eml; sm m7.eml)"

# ---- detached signature files (.p7s beside the document) ----
# The agency's seal may come as a file of its own: openssl cms -sign makes
# it, openssl cms -verify -content is the oracle on each pair, and the
# daemon's analysis (-t --json) must fold it into the document it signs.
printf 'Rules %s/rules\nSpool %s/spool\nTrustAnchors %s/K/anchors\nIntermediates %s/K/inter.pem\n' \
    "$T" "$T" "$T" "$T" >detached.conf
p7s() {		# p7s CONTENT OUT SIGNER [openssl cms options]
	in=$1 out=$2 who=$3
	shift 3
	openssl cms -sign -binary -in "$in" -signer K/$who.pem -inkey K/$who.key \
	    -certfile K/inter.pem -outform DER -out "$out" "$@" 2>/dev/null
}
cmsd() {	# cmsd CONTENT SIGNATURE [inform]: openssl's verdict on the pair
	if openssl cms -verify -binary -inform "${3:-DER}" -in "$2" -content "$1" \
	    -CAfile K/root.pem -certfile K/inter.pem -purpose any \
	    -out /dev/null >/dev/null 2>&1; then
		echo good
	else
		echo bad
	fi
}
attach() {	# attach OUT NAME=FILE...: an official message with these files
	python3 - "$@" <<'PY'
import sys, zipfile, io
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "vanthu@so.example.gov.vn"
m["To"] = "a@example.gov.vn"
m["Subject"] = "CV 15"
m.set_content("Kinh gui.")
for arg in sys.argv[2:]:
    name, path = arg.split("=", 1)
    if name.endswith(".zip"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for one in path.split(","):
                n, p = one.split(":", 1)
                z.write(p, n)
        m.add_attachment(buf.getvalue(), maintype="application",
                         subtype="zip", filename=name)
        continue
    data = open(path, "rb").read()
    sub = "pkcs7-signature" if name.endswith((".p7s", ".sig")) else "pdf"
    m.add_attachment(data, maintype="application", subtype=sub, filename=name)
open(sys.argv[1], "wb").write(bytes(m))
PY
}
dj() {		# dj MESSAGE: each document, its verdict and its signatures
		# (verdict/file), then each signature file and what it signs
	"$build/vanthu-milter" -c detached.conf -t "$1" --json 2>/dev/null |
	    python3 -c 'import json, sys
d = json.load(sys.stdin)
docs = [x["name"] + ":" + x["signature_verdict"] + ":" + ",".join(
    s["verdict"] + "/" + (s["file"]["name"] if s["file"] else "-")
    for s in x["signatures"]) for x in d["documents"]]
files = [f["name"] + ">" + d["documents"][f["signs"]]["name"] + "@" + f["part"]
         for f in d["signature_files"]]
print(" ".join(docs) + " | " + " ".join(files))'
}
python3 -c 'import sys; d=open("base.pdf","rb").read(); open("other.pdf","wb").write(d.replace(b"15/QD", b"16/QD"))'
p7s base.pdf base.p7s person
p7s other.pdf other.p7s agency
check "openssl cms -verify calls both detached signatures good" \
    "good good" "$(cmsd base.pdf base.p7s) $(cmsd other.pdf other.p7s)"
attach d1.eml cv.pdf=base.pdf cv.pdf.p7s=base.p7s
check "a .p7s named for its PDF is the PDF's signature, not a document" \
    "cv.pdf:valid:valid/cv.pdf.p7s | cv.pdf.p7s>cv.pdf@3" "$(dj d1.eml)"
"$build/vanthu-milter" -c detached.conf -t d1.eml --json 2>/dev/null |
    python3 -c 'import json, sys, hashlib
d = json.load(sys.stdin)
s = d["documents"][0]["signatures"][0]
want = hashlib.sha256(open("base.p7s", "rb").read()).hexdigest()
print(s["signer"], s["covers_whole_file"], s["subfilter"], s["file"]["sha256"] == want,
      d["signature_files"][0]["size"], d["headers_added"][-1]["value"])' >d1.out
check "its signer, whole-file cover, the file's SHA-256 and size; one document counted" \
    "Nguyen Van A True None True $(wc -c <base.p7s) direction=inbound official=yes documents=1" \
    "$(cat d1.out)"
attach d2.eml qd.pdf=base.pdf phu-luc.pdf=other.pdf chuky.p7s=other.p7s cv.p7s=base.p7s
check "the bytes pair each file with what it signs, whatever the names" \
    "qd.pdf:valid:valid/cv.p7s phu-luc.pdf:valid:valid/chuky.p7s | chuky.p7s>phu-luc.pdf@4 cv.p7s>qd.pdf@5" \
    "$(dj d2.eml)"
python3 -c 'import sys; d=open("base.pdf","rb").read(); open("changed.pdf","wb").write(d.replace(b"15/QD", b"17/QD"))'
attach d3.eml cv.pdf=changed.pdf cv.pdf.p7s=base.p7s
check "a PDF changed after signing is invalid under the file named for it" \
    "cv.pdf:invalid:invalid/cv.pdf.p7s | cv.pdf.p7s>cv.pdf@3|bad" \
    "$(dj d3.eml)|$(cmsd changed.pdf base.p7s)"
p7s base.pdf stranger.p7s stranger -certfile K/other.pem
attach d4.eml cv.pdf=base.pdf cv.pdf.p7s=stranger.p7s
check "a signer outside the trust anchors is untrusted, as openssl says" \
    "cv.pdf:untrusted:untrusted/cv.pdf.p7s | cv.pdf.p7s>cv.pdf@3|bad" \
    "$(dj d4.eml)|$(cmsd base.pdf stranger.p7s)"
p7s c2.pdf c2.p7s agency
attach d5.eml qd.pdf=c2.pdf qd.pdf.p7s=c2.p7s
check "a PDF signed inside keeps its signatures, the file's comes last" \
    "qd.pdf:valid:valid/-,valid/-,valid/qd.pdf.p7s | qd.pdf.p7s>qd.pdf@3" "$(dj d5.eml)"
p7s other.pdf other-bad.p7s stranger -certfile K/other.pem
attach d6.eml qd.pdf=c2.pdf qd.pdf.p7s=c2.p7s phu-luc.pdf.p7s=other-bad.p7s phu-luc.pdf=other.pdf
check "each document takes the weakest verdict of its own signatures only" \
    "qd.pdf:valid:valid/-,valid/-,valid/qd.pdf.p7s phu-luc.pdf:untrusted:untrusted/phu-luc.pdf.p7s | qd.pdf.p7s>qd.pdf@3 phu-luc.pdf.p7s>phu-luc.pdf@4" \
    "$(dj d6.eml)"
attach d7.eml qd.pdf=c2.pdf cv.pdf.p7s=base.p7s
check "a signature file that signs nothing in the message stays a document" \
    "qd.pdf:valid:valid/-,valid/- cv.pdf.p7s:absent: | " "$(dj d7.eml)"
p7s base.pdf base.pem person -outform PEM
attach d8.eml cv.pdf=base.pdf cv.pdf.p7s=base.pem
check "a PEM signature file is paired and verified as well" \
    "cv.pdf:valid:valid/cv.pdf.p7s | cv.pdf.p7s>cv.pdf@3|good" \
    "$(dj d8.eml)|$(cmsd base.pdf base.pem PEM)"
p7s base.pdf mail.p7s mail
attach d9.eml cv.pdf=base.pdf cv.pdf.p7s=mail.p7s
check "an e-mail-only certificate does not sign documents" \
    "cv.pdf:untrusted:untrusted/cv.pdf.p7s | cv.pdf.p7s>cv.pdf@3" "$(dj d9.eml)"
attach d10.eml vb.zip=cv.pdf:base.pdf,cv.pdf.p7s:base.p7s
check "inside one archive the file pairs with its neighbour" \
    "cv.pdf:valid:valid/cv.pdf.p7s | cv.pdf.p7s>cv.pdf@2" "$(dj d10.eml)"
attach d11.eml cv.pdf=base.pdf vb.zip=cv.pdf.p7s:base.p7s
check "but not across an archive's edge" \
    "cv.pdf:absent: cv.pdf.p7s:absent: | " "$(dj d11.eml)"
openssl cms -sign -binary -nodetach -in base.pdf -signer K/person.pem \
    -inkey K/person.key -outform DER -out whole.p7s 2>/dev/null
attach d12.eml cv.pdf=base.pdf cv.pdf.p7s=whole.p7s
check "a signature that holds its own content is no detached signature" \
    "cv.pdf:absent: cv.pdf.p7s:absent: | " "$(dj d12.eml)"
out=$("$V" $TRUST d2.eml)
check "vanthu verify pairs them too and names each file" \
    "0|valid valid|cv.p7s chuky.p7s" \
    "$?|$(echo $(echo "$out" | sed -n 's/^signature [0-9]*: //p'))|$(echo $(echo "$out" | sed -n 's/^  file: *//p'))"
