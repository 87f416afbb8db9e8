#!/usr/bin/env bash
# The README's "Authorizing a piggyback purchase" walkthrough as a script: a denied, a pending and an
# approved decision against a running server.
#   BOOTSTRAP_ADMIN_TOKEN=change-me swift run cooperage serve &    # then:
#   BASE=http://127.0.0.1:8080 ADMIN_TOKEN=change-me scripts/walkthrough-authorization.sh
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8080}
ADMIN="Authorization: Bearer ${ADMIN_TOKEN:-change-me}"
JSON="Content-Type: application/json"
RUN=$(date +%s)
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sS -X POST "$BASE$1" -H "$2" -H "$JSON" -d "$3"; }

echo "== The cooperative publishes a Master Agreement led by a state agency"
LEAD=$(post /v1/tenants "$ADMIN" '{"legalName": "Texas Department of Information Resources", "slug": "tx-dir-'$RUN'",
  "entityType": "state-agency", "state": "TX"}' | field '["id"]')
SUPPLIER=$(post /v1/suppliers "$ADMIN" '{"name": "Acme Computing LLC", "identifiers": {"ein": "74-1234567"}}' | field '["id"]')
SOLICITATION=$(post /v1/solicitations "$ADMIN" '{"leadTenantId": "'$LEAD'", "number": "RFP-'$RUN'",
  "title": "Technology products", "method": "rfp", "advertisedWhere": "Electronic State Business Daily",
  "advertisedOn": "2025-09-01", "cooperativeLanguageInSolicitation": true, "cooperativeLanguageInContract": true,
  "awardBasis": "best-value", "awardDate": "2025-12-01"}' | field '["id"]')
AGREEMENT=$(post /v1/agreements "$ADMIN" '{"number": "MA-'$RUN'", "title": "Computers and peripherals",
  "leadTenantId": "'$LEAD'", "solicitationId": "'$SOLICITATION'", "supplierId": "'$SUPPLIER'",
  "categories": ["43210000"], "effectiveOn": "2026-01-01", "expiresOn": "2028-12-31",
  "eligibleStates": ["TX"], "adminFeeBasisPoints": 200, "ceilingCents": 500000000,
  "complianceLetterOnFile": true, "telecomAttestation200216": true}' | field '["id"]')
echo "agreement $AGREEMENT"

echo "== A city joins: its interlocal agreement and a council threshold of \$50,000"
CITY=$(post /v1/tenants "$ADMIN" '{"legalName": "City of Round Rock", "slug": "round-rock-'$RUN'",
  "entityType": "city", "state": "TX", "fiscalYearStartMonth": 10}' | field '["id"]')
post /v1/tenants/$CITY/participations "$ADMIN" '{"kind": "interlocal-agreement", "resolutionNumber": "R-2026-014",
  "resolutionDate": "2026-01-13", "effectiveOn": "2026-01-15"}' > /dev/null
curl -sS -X PUT "$BASE/v1/tenants/$CITY/policy" -H "$ADMIN" -H "$JSON" -d '{"rules": [
  {"type": "approval-threshold", "citation": "Round Rock Code of Ordinances 2-1 (council approval of purchases)",
   "parameters": {"amountCents": 5000000, "approver": "city-council", "requiresResolution": true}}]}' > /dev/null
BUYER="Authorization: Bearer $(post /v1/tenants/$CITY/tokens "$ADMIN" '{"role": "agency-buyer", "name": "buyer"}' | field '["token"]')"
APPROVER="Authorization: Bearer $(post /v1/tenants/$CITY/tokens "$ADMIN" '{"role": "agency-approver", "name": "clerk"}' | field '["token"]')"

echo "== Denied: a county that never signed a participation instrument"
COUNTY=$(post /v1/tenants "$ADMIN" '{"legalName": "Williamson County", "slug": "williamson-'$RUN'",
  "entityType": "county", "state": "TX"}' | field '["id"]')
COUNTY_BUYER="Authorization: Bearer $(post /v1/tenants/$COUNTY/tokens "$ADMIN" '{"role": "agency-buyer", "name": "buyer"}' | field '["token"]')"
REQUEST='{"agreementId": "'$AGREEMENT'", "amountCents": 7500000, "purchaseDate": "2026-12-01",
  "category": "43211507", "purpose": "Desktop computers for the library"}'
post /v1/authorizations "$COUNTY_BUYER" "$REQUEST" | python3 -c '
import json,sys; a=json.load(sys.stdin); print(a["outcome"])
for r in a["decision"]["results"]:
    if r["outcome"] not in ("pass","not-applicable"): print(" ", r["rule"], r["outcome"], "-", r["message"])'

echo "== Pending: the city asks for \$75,000, above its council threshold"
PENDING=$(post /v1/authorizations "$BUYER" "$REQUEST")
ID=$(echo "$PENDING" | field '["id"]')
echo "$PENDING" | python3 -c '
import json,sys; a=json.load(sys.stdin); print(a["outcome"])
for r in a["decision"]["results"]:
    if r["outcome"] != "pass": print(" ", r["rule"], r["outcome"], "-", r["message"], "(" + (r.get("citation") or "") + ")")'

echo "== Approved: the clerk records the council's resolution"
post /v1/authorizations/$ID/approvals "$APPROVER" '{"ruleType": "approval-threshold",
  "resolutionNumber": "R-2026-311", "resolutionDate": "2026-11-24"}' | python3 -c '
import json,sys; a=json.load(sys.stdin)
print(a["outcome"], a["authorizedAmountCents"], "cents, valid", a["validFrom"], "to", a["validUntil"])
print("decisions:", [d["outcome"] for d in a["decisions"]])'
