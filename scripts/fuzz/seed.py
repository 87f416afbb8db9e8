#!/usr/bin/env python3
"""Seed a fresh Cooperage server through its API so the fuzzer meets real data.

    seed.py BASE_URL ADMIN_TOKEN OUT.json [SCHEMATHESIS.toml]

Creates a lead agency, a supplier, a solicitation and a Master Agreement; a city with a participation
instrument, a policy, an agency-admin token (the one the fuzzer uses), a buyer and an approver; an
authorization approved after an approval, a denied one, an order with a partial reversal, an imported
CSV file and a supplier report. Writes the agency token, the ids of the two tokens the fuzzer uses and every
other id to OUT.json, and optionally a Schemathesis configuration that offers these ids, half of the time, for
the path and query parameters that name such objects (the fuzzer finds most ids in responses by itself, but
not, say, an import's, which no list shows). Standard library only.
"""
import datetime
import json
import sys
import urllib.error
import urllib.request
import uuid

BASE, ADMIN, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
CONFIG = sys.argv[4] if len(sys.argv) > 4 else None
RUN = uuid.uuid4().hex[:8]
TODAY = datetime.date.today()


def day(offset_days):
    return (TODAY + datetime.timedelta(days=offset_days)).isoformat()


def call(method, path, token, body=None, expect=(200, 201), content_type="application/json", headers=None):
    data = None
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status not in expect:
        sys.exit(f"seed: {method} {path} answered {status}, expected {expect}: {text}")
    return json.loads(text) if text else None


def main():
    lead = call("POST", "/v1/tenants", ADMIN, {
        "legalName": "Texas Department of Information Resources", "slug": f"tx-dir-{RUN}",
        "entityType": "state-agency", "state": "TX"})["id"]
    supplier = call("POST", "/v1/suppliers", ADMIN, {
        "name": "Acme Computing LLC", "identifiers": {"ein": "74-1234567"},
        "diversityCertifications": [{"kind": "HUB", "certifier": "Texas Comptroller"}]})["id"]
    solicitation = call("POST", "/v1/solicitations", ADMIN, {
        "leadTenantId": lead, "number": f"RFP-{RUN}", "title": "Technology products", "method": "rfp",
        "advertisedWhere": "Electronic State Business Daily", "advertisedOn": day(-400),
        "cooperativeLanguageInSolicitation": True, "cooperativeLanguageInContract": True,
        "awardBasis": "best-value", "awardDate": day(-370)})["id"]
    agreement = call("POST", "/v1/agreements", ADMIN, {
        "number": f"MA-{RUN}", "title": "Computers and peripherals", "leadTenantId": lead,
        "solicitationId": solicitation, "supplierId": supplier, "categories": ["43210000"],
        "effectiveOn": day(-365), "expiresOn": day(730), "eligibleStates": ["TX"],
        "adminFeeBasisPoints": 200, "ceilingCents": 500000000,
        "priceTiers": [{"minVolumeCents": 0, "discountBasisPoints": 0},
                       {"minVolumeCents": 100000000, "discountBasisPoints": 300}],
        "complianceLetterOnFile": True, "telecomAttestation200216": True})["id"]

    city = call("POST", "/v1/tenants", ADMIN, {
        "legalName": "City of Round Rock", "slug": f"round-rock-{RUN}", "entityType": "city", "state": "TX",
        "identifiers": {"ein": "74-6017485", "cooperativeNumber": f"OMNIA-{RUN}"},
        "fiscalYearStartMonth": 10})["id"]
    participation = call("POST", f"/v1/tenants/{city}/participations", ADMIN, {
        "kind": "interlocal-agreement", "resolutionNumber": "R-2026-014", "resolutionDate": day(-200),
        "effectiveOn": day(-190)})["id"]
    call("PUT", f"/v1/tenants/{city}/policy", ADMIN, {"rules": [
        {"type": "approval-threshold", "citation": "Round Rock Code of Ordinances 2-1",
         "parameters": {"amountCents": 5000000, "approver": "city-council", "requiresResolution": True}}]})
    agency = call("POST", f"/v1/tenants/{city}/tokens", ADMIN, {"role": "agency-admin", "name": "fuzz"})
    buyer = call("POST", f"/v1/tenants/{city}/tokens", ADMIN, {"role": "agency-buyer", "name": "buyer"})["token"]
    approver = call("POST", f"/v1/tenants/{city}/tokens", ADMIN, {"role": "agency-approver", "name": "clerk"})["token"]

    request = {"agreementId": agreement, "amountCents": 7500000, "purchaseDate": day(0),
               "category": "43211507", "purpose": "Desktop computers for the library"}
    pending = call("POST", "/v1/authorizations", buyer, request, headers={"Idempotency-Key": f"seed-{RUN}-1"})
    approved = call("POST", f"/v1/authorizations/{pending['id']}/approvals", approver, {
        "ruleType": "approval-threshold", "resolutionNumber": "R-2026-311", "resolutionDate": day(-1)})
    if approved["outcome"] != "approved":
        sys.exit(f"seed: the authorization is {approved['outcome']}, not approved: {approved}")
    authorization = approved["id"]

    county = call("POST", "/v1/tenants", ADMIN, {
        "legalName": "Williamson County", "slug": f"williamson-{RUN}", "entityType": "county", "state": "TX"})["id"]
    county_buyer = call("POST", f"/v1/tenants/{county}/tokens", ADMIN, {"role": "agency-buyer", "name": "buyer"})["token"]
    denied = call("POST", "/v1/authorizations", county_buyer, request)["id"]

    order = call("POST", "/v1/usage", buyer, {
        "authorizationId": authorization, "poNumber": f"PO-{RUN}-1", "orderDate": day(0), "amountCents": 1048500,
        "lines": [
            {"description": "Laptop 14in", "unspsc": "43211503", "quantity": 10, "unitPriceCents": 89900,
             "listPriceCents": 129900},
            {"description": "Docking station", "unspsc": "43211507", "quantity": 10, "unitPriceCents": 14950}]},
        headers={"Idempotency-Key": f"seed-{RUN}-2"})["id"]
    reversal = call("POST", f"/v1/usage/{order}/reversal", buyer, {
        "amountCents": 29900, "reason": "two docking stations returned"},
        headers={"Idempotency-Key": f"seed-{RUN}-3"})["id"]
    csv = ("po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents\n"
           f"PO-{RUN}-2,{authorization},{day(0)},Monitor 27in,43211902,4,21900,27900\n"
           f"PO-{RUN}-2,{authorization},{day(0)},Keyboard,43211706,4,2500,\n")
    usage_import = call("POST", "/v1/usage/imports?fileName=seed.csv", buyer, csv, content_type="text/csv")["id"]
    quarter = (TODAY.month - 1) // 3 + 1
    supplier_report = call("POST", "/v1/supplier-reports", ADMIN, {
        "agreementId": agreement, "year": TODAY.year, "quarter": quarter, "lines": [
            {"agencyName": "City of Round Rock", "cooperativeNumber": f"OMNIA-{RUN}", "invoiceDate": day(0),
             "amountCents": 1018600, "feeCents": 20372}]})["id"]

    admin_token_id = call("GET", "/v1/me", ADMIN)["tokenId"]

    with open(OUT, "w") as out:
        json.dump({
            "adminTokenId": admin_token_id, "agencyToken": agency["token"], "agencyTokenId": agency["id"],
            "lead": lead, "city": city,
            "county": county, "supplier": supplier, "solicitation": solicitation, "agreement": agreement,
            "participation": participation, "authorization": authorization, "deniedAuthorization": denied,
            "order": order, "reversal": reversal, "usageImport": usage_import, "supplierReport": supplier_report,
        }, out, indent=2)
    print(f"seed: agreement {agreement}, city {city}, authorization {authorization}, order {order}")
    if CONFIG:
        write_config(CONFIG, {
            "tenants": [city, lead, county], "suppliers": [supplier], "solicitations": [solicitation],
            "agreements": [agreement], "authorizations": [authorization, denied], "usage": [order, reversal],
            "imports": [usage_import], "supplier-reports": [supplier_report],
        })


# Which dictionary of seeded ids each path's `{id}` takes. DELETE /v1/tokens/{id} gets none: the only
# tokens seeded are the ones the run uses.
PATH_IDS = {
    "tenants": ["/v1/tenants/{id}", "/v1/tenants/{id}/suspend", "/v1/tenants/{id}/reactivate",
                "/v1/tenants/{id}/tokens", "/v1/tenants/{id}/participations", "/v1/tenants/{id}/policy",
                "/v1/tenants/{id}/policy/versions", "/v1/tenants/{id}/policy/versions/{version}"],
    "suppliers": ["/v1/suppliers/{id}"],
    "solicitations": ["/v1/solicitations/{id}"],
    "agreements": ["/v1/agreements/{id}", "/v1/exports/ocds/agreements/{id}"],
    "authorizations": ["/v1/authorizations/{id}", "/v1/authorizations/{id}/approvals"],
    "usage": ["/v1/usage/{id}", "/v1/usage/{id}/reversal", "/v1/exports/ocds/usage/{id}"],
    "imports": ["/v1/usage/imports/{id}"],
    "supplier-reports": ["/v1/supplier-reports/{id}"],
}
QUERY_IDS = {"tenantId": "tenants", "leadTenantId": "tenants", "agreementId": "agreements", "supplierId": "suppliers"}
# Free-text query parameters also get, one time in ten, text that PostgreSQL or a parser may choke on
# (NUL, another control character, a bidi override, an escaped-looking NUL), which random text rarely holds.
AWKWARD_TEXT = [  # as TOML escapes
    "a\\u0000b", "\\u0001", "x\\u202ey", "%00"]
FREE_TEXT_QUERY = ["q", "cursor", "poNumber", "fileName", "jurisdiction", "groupBy", "from", "to"]


def write_config(path, ids):
    def binding(name):
        return f'{{ dictionary = "{name}", probability = 0.5 }}'

    lines = ["# Written by scripts/fuzz/seed.py: seeded ids offered to the fuzzer.", "",
             "# No .schemathesis/ folder in the working directory: every run starts afresh.",
             "[cache]", "enabled = false", ""]
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", "values = [" + ", ".join(f'"{v.lower()}"' for v in values) + "]", ""]
    lines += ["[dictionaries.awkward-text]", "values = [" + ", ".join(f'"{v}"' for v in AWKWARD_TEXT) + "]", ""]
    lines += ["[parameters]"]
    lines += [f'"query.{parameter}" = {binding(name)}' for parameter, name in QUERY_IDS.items()]
    lines += [f'"query.{parameter}" = {{ dictionary = "awkward-text", probability = 0.1 }}' for parameter in FREE_TEXT_QUERY]
    lines += [""]
    for name, paths in PATH_IDS.items():
        lines += ["[[operations]]", "include-path = [" + ", ".join(f'"{p}"' for p in paths) + "]",
                  f'parameters = {{ "path.id" = {binding(name)} }}', ""]
    with open(path, "w") as out:
        out.write("\n".join(lines))


if __name__ == "__main__":
    main()
