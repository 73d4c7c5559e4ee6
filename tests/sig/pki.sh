#!/bin/sh
# pki.sh DIR - a test PKI made with openssl, every time the tests run.
#
#   root        "Test RootCA G2"  (self-signed, 2019..2039)
#   inter       "Test CA Co quan" (under root)
#   person      person signer, key usage only, no EKU        (under inter)
#   agency      agency seal, EKU id-kp-documentSigning       (under inter)
#   expired     valid 2020-01-01 .. 2021-01-01               (under inter)
#   skewed      valid from 2026-11-21 08:00Z (3 h after /M)   (under inter)
#   revoked     revoked, listed in inter.crl                 (under inter)
#   mail        EKU emailProtection, SAN clerk@so.example.gov.vn (under inter)
#   tsa         EKU timeStamping (critical)                  (under root)
#   other       "Other Root" and its signer "stranger"       (not trusted)
# Every key is RSA-2048.  Certificates are PEM in DIR/<name>.pem, keys in
# DIR/<name>.key, the CA chain for embedding in DIR/chain.pem.
set -eu
D=$1
mkdir -p "$D"
cd "$D"
CADIR=.
export CADIR

cat >ca.cnf <<'CNF'
[ca]
default_ca = ca_here
[ca_here]
dir = $ENV::CADIR
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
default_crl_days = 30
[any]
commonName = supplied
organizationName = optional
emailAddress = optional
[req]
distinguished_name = dn
[dn]
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[person]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[agency]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.36
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[mail]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:clerk@so.example.gov.vn
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# newdb NAME FIRST-SERIAL: an empty CA database directory
newdb() {
	mkdir -p "db-$1"
	: >"db-$1/index.txt"
	echo "$2" >"db-$1/serial"
}

# issue CA NAME SUBJECT EXT [START END]
issue() {
	ca=$1 name=$2 subj=$3 ext=$4
	start=${5:-20190101000000Z} end=${6:-20391231000000Z}
	[ -n "$start" ] || start=20190101000000Z
	[ -n "$end" ] || end=20391231000000Z
	openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" \
		-subj "$subj" -out "$name.csr" -config ca.cnf 2>/dev/null
	if [ "$ca" = self ]; then
		newdb "$name" "$7"
		CADIR=db-$name openssl ca -batch -config ca.cnf -selfsign \
			-keyfile "$name.key" -in "$name.csr" -out "$name.pem" \
			-extensions "$ext" -startdate "$start" -enddate "$end" \
			-notext 2>/dev/null
	else
		CADIR=db-$ca openssl ca -batch -config ca.cnf -cert "$ca.pem" \
			-keyfile "$ca.key" -in "$name.csr" -out "$name.pem" \
			-extensions "$ext" -startdate "$start" -enddate "$end" \
			-notext 2>/dev/null
	fi
}

issue self root "/CN=Test RootCA G2/O=Test Cipher Committee" v3_ca "" "" 1000
issue self other "/CN=Other Root/O=Nobody" v3_ca "" "" 2000
issue root inter "/CN=Test CA Co quan/O=Test Cipher Committee" v3_ca
newdb inter 3000
issue inter person "/CN=Nguyen Van A/O=UBND Tinh Test" person
issue inter agency "/CN=UBND Tinh Test/O=UBND Tinh Test/emailAddress=vanthu@test.gov.vn" agency
issue inter expired "/CN=Tran Thi Het Han/O=UBND Tinh Test" person \
	20200101000000Z 20210101000000Z
# Valid from 3 hours after the /M time mkpdf.py writes (05:00Z).
issue inter skewed "/CN=Pham Lech Gio/O=UBND Tinh Test" person \
	20261121080000Z 20391231000000Z
issue inter revoked "/CN=Le Van Thu Hoi/O=UBND Tinh Test" person
issue inter mail "/CN=Van thu So/O=So Test/emailAddress=clerk@so.example.gov.vn" mail
issue root tsa "/CN=Test TSA/O=Test Cipher Committee" tsa
issue other stranger "/CN=Stranger/O=Nobody" person

CADIR=db-inter openssl ca -batch -config ca.cnf -cert inter.pem \
	-keyfile inter.key -revoke revoked.pem 2>/dev/null
CADIR=db-inter openssl ca -batch -config ca.cnf -cert inter.pem \
	-keyfile inter.key -gencrl -out inter.crl 2>/dev/null
openssl crl -in inter.crl -outform DER -out inter.crl.der
cp inter.pem chain.pem
mkdir -p anchors
cp root.pem anchors/root.pem
openssl x509 -in root.pem -outform DER -out root.der
