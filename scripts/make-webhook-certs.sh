#!/usr/bin/env bash
# Regenerates the certificates behind the Partner Center webhook simulator and the verifier's tests.
# Run once by hand (`bash scripts/make-webhook-certs.sh`, OpenSSL 3, GNU date) and commit the output:
# the bot and the tests never call openssl, because Node cannot create X.509 certificates itself.
#
# Layout (every "Microsoft Corporation" here is a test identity; nothing chains to a public root):
#   simulator-ca.pem                     root, O=Microsoft Corporation (trusted only via PARTNER_CENTER_TRUSTED_CA_FILE)
#   ├─ simulator-signing.cer             DER leaf that signs simulator webhooks (key: simulator-signing.key.pem)
#   ├─ simulator-intermediate-ca.pem     intermediate CA (pathlen 0)
#   │  └─ simulator-chained-signing.cer  PEM: leaf + intermediate, same key as simulator-signing
#   ├─ wrong-org-signing.cer             leaf with O=Contoso Ltd (same key)
#   ├─ expired-signing.cer               leaf valid 2020-01-01 .. 2021-01-01 (same key)
#   └─ ec-signing.cer                    leaf with an EC P-256 key, not RSA (key: ec-signing.key.pem)
#   other-ca.pem                         a look-alike root nobody trusts
#   └─ other-signing.cer                 leaf under it (key: other-signing.key.pem)
#   foreign-ca.pem                       root with O=Fabrikam Trust Services (tests trust it to reach the issuer check)
#   └─ foreign-issuer-signing.cer        leaf with O=Microsoft Corporation, issuer O=Fabrikam (same key as simulator-signing)
#   self-signed.cer                      self-signed leaf with O=Microsoft Corporation (key: self-signed.key.pem)
#   leaf-signed-by-leaf.cer              PEM: a leaf issued by simulator-signing (not a CA) + simulator-signing
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=test/fixtures/partner-center-webhooks
RUNTIME=src/simulator/webhooks/certs
# Back-dated a day so a slightly slow clock still sees them as valid; twenty years so they outlive the project.
START=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
ROOT_END=$(date -u -d '+20 years' +%Y%m%d%H%M%SZ)
LEAF_END=$(date -u -d '+20 years -1 day' +%Y%m%d%H%M%SZ)
mkdir -p "$OUT" "$RUNTIME"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/ca.cnf" <<EOF
[ca]
default_ca = any
[any]
database = $WORK/index.txt
serial = $WORK/serial
new_certs_dir = $WORK
default_md = sha256
policy = policy_any
copy_extensions = none
unique_subject = no
[policy_any]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = supplied
commonName = supplied
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[selfleaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
EOF

rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

# sign <out.pem> <subject> <key of the new cert> <issuer cert|self> <issuer key> <section> <start> <end>
sign() {
  : >"$WORK/index.txt"
  echo 01 >"$WORK/serial"
  openssl req -new -key "$3" -subj "$2" -out "$WORK/req.csr"
  local issuer=(-cert "$4")
  [ "$4" = self ] && issuer=(-selfsign)
  openssl ca -batch -config "$WORK/ca.cnf" -rand_serial -notext "${issuer[@]}" -keyfile "$5" -extensions "$6" \
    -startdate "$7" -enddate "$8" -in "$WORK/req.csr" -out "$1" 2>/dev/null
}
der() { openssl x509 -in "$1" -outform DER -out "$2"; }

MS='/C=US/ST=Washington/L=Redmond/O=Microsoft Corporation'
for key in simulator-ca other-ca foreign-ca intermediate; do rsa_key "$WORK/$key.key"; done
for key in simulator-signing other-signing self-signed; do rsa_key "$OUT/$key.key.pem"; done
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$OUT/ec-signing.key.pem"
SIM_KEY="$OUT/simulator-signing.key.pem"
SIM_CA=("$OUT/simulator-ca.pem" "$WORK/simulator-ca.key")

sign "$OUT/simulator-ca.pem" "$MS/CN=Partner Center Webhook Simulator Root CA" "$WORK/simulator-ca.key" self "$WORK/simulator-ca.key" root "$START" "$ROOT_END"
sign "$OUT/other-ca.pem" "$MS/CN=Partner Center Webhook Look-alike Root CA" "$WORK/other-ca.key" self "$WORK/other-ca.key" root "$START" "$ROOT_END"
sign "$OUT/foreign-ca.pem" '/C=US/O=Fabrikam Trust Services/CN=Fabrikam Root CA' "$WORK/foreign-ca.key" self "$WORK/foreign-ca.key" root "$START" "$ROOT_END"

sign "$WORK/signing.pem" "$MS/CN=Partner Center Webhook Simulator Signing" "$SIM_KEY" "${SIM_CA[@]}" leaf "$START" "$LEAF_END"
der "$WORK/signing.pem" "$OUT/simulator-signing.cer"

sign "$OUT/simulator-intermediate-ca.pem" "$MS/CN=Partner Center Webhook Simulator Issuing CA" "$WORK/intermediate.key" "${SIM_CA[@]}" intermediate "$START" "$LEAF_END"
sign "$WORK/chained.pem" "$MS/CN=Partner Center Webhook Simulator Chained Signing" "$SIM_KEY" "$OUT/simulator-intermediate-ca.pem" "$WORK/intermediate.key" leaf "$START" "$LEAF_END"
cat "$WORK/chained.pem" "$OUT/simulator-intermediate-ca.pem" >"$OUT/simulator-chained-signing.cer"

sign "$WORK/wrong-org.pem" '/C=US/O=Contoso Ltd/CN=Partner Center Webhook Simulator Signing' "$SIM_KEY" "${SIM_CA[@]}" leaf "$START" "$LEAF_END"
der "$WORK/wrong-org.pem" "$OUT/wrong-org-signing.cer"
sign "$WORK/expired.pem" "$MS/CN=Partner Center Webhook Expired Signing" "$SIM_KEY" "${SIM_CA[@]}" leaf 20200101000000Z 20210101000000Z
der "$WORK/expired.pem" "$OUT/expired-signing.cer"
sign "$WORK/ec.pem" "$MS/CN=Partner Center Webhook EC Signing" "$OUT/ec-signing.key.pem" "${SIM_CA[@]}" leaf "$START" "$LEAF_END"
der "$WORK/ec.pem" "$OUT/ec-signing.cer"

sign "$WORK/other.pem" "$MS/CN=Partner Center Webhook Simulator Signing" "$OUT/other-signing.key.pem" "$OUT/other-ca.pem" "$WORK/other-ca.key" leaf "$START" "$LEAF_END"
der "$WORK/other.pem" "$OUT/other-signing.cer"
sign "$WORK/foreign.pem" "$MS/CN=Partner Center Webhook Simulator Signing" "$SIM_KEY" "$OUT/foreign-ca.pem" "$WORK/foreign-ca.key" leaf "$START" "$LEAF_END"
der "$WORK/foreign.pem" "$OUT/foreign-issuer-signing.cer"

# What an attacker who can only make keys would serve.
sign "$WORK/self.pem" "$MS/CN=Partner Center Webhook Simulator Signing" "$OUT/self-signed.key.pem" self "$OUT/self-signed.key.pem" selfleaf "$START" "$LEAF_END"
der "$WORK/self.pem" "$OUT/self-signed.cer"

# A leaf "issued" by another leaf: the chain builder must refuse issuers without CA:TRUE.
sign "$WORK/by-leaf.pem" "$MS/CN=Issued By A Leaf" "$OUT/other-signing.key.pem" "$WORK/signing.pem" "$SIM_KEY" leaf "$START" "$LEAF_END"
cat "$WORK/by-leaf.pem" "$WORK/signing.pem" >"$OUT/leaf-signed-by-leaf.cer"

# What the simulator needs at runtime (local mode runs without the test fixtures).
cp "$OUT/simulator-ca.pem" "$OUT/simulator-signing.cer" "$SIM_KEY" "$RUNTIME/"
echo "certificates written to $OUT and $RUNTIME"
