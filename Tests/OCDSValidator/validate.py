#!/usr/bin/env python3
"""Validate OCDS 1.1 release/record packages with libcoveocds, fully offline.

- Core schema + codelists: a vendored ZIP of open-contracting/standard at tag 1__1__5, passed as
  lib-cove-ocds' "standard_zip" option (the CLI's --standard-zip).
- Extensions named in a package's "extensions" array, and the core schema URLs that jsonref
  dereferences for record packages, are answered from vendored files by a requests transport
  adapter; every other URL gets a 404, so no request ever leaves the process.

Exit status 1 on any structural error, closed-codelist violation, invalid extension,
undeclared (additional) field or $ref error.
"""
import json
import os
import pathlib
import sys
import tempfile
import zipfile

import jsonref
import requests
from requests.adapters import BaseAdapter

import libcoveocds.api
from libcoveocds.config import LibCoveOCDSConfig
from ocdsextensionregistry import util as oer_util

# Directory holding the vendored ZIPs (vendor/ beside this file); override with OCDS_VENDOR_DIR.
VENDOR = pathlib.Path(os.environ.get("OCDS_VENDOR_DIR") or pathlib.Path(__file__).resolve().parent / "vendor").resolve()
STANDARD_ZIP = VENDOR / "standard-1__1__5-schema.zip"
SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"

# URL (as ocdsextensionregistry derives it from the canonical extension.json URL) -> vendored file.
LOCAL = {
    "https://github.com/open-contracting-extensions/ocds_techniques_extension/archive/master.zip":
        VENDOR / "ocds_techniques_extension-master.zip",
}


def _standard_file(name):
    with zipfile.ZipFile(STANDARD_ZIP) as z:
        top = z.namelist()[0]
        return z.read(f"{top}schema/{name}").replace(b"{{version}}", b"1.1").replace(b"{{lang}}", b"en")


class VendoredAdapter(BaseAdapter):
    def send(self, request, **kwargs):
        resp = requests.Response()
        resp.request, resp.url, resp.encoding = request, request.url, "utf-8"
        body = None
        if request.url in LOCAL:
            body = LOCAL[request.url].read_bytes()
        elif request.url.startswith(SCHEMA_BASE):
            try:
                body = _standard_file(request.url[len(SCHEMA_BASE):])
            except KeyError:
                pass
        if body is None:
            resp.status_code, resp.reason, resp._content = 404, "Not Found (offline)", b""
        else:
            resp.status_code, resp.reason, resp._content = 200, "OK", body
        return resp

    def close(self):
        pass


_adapter = VendoredAdapter()
# ocdsextensionregistry's shared (requests-cache) session: extension metadata, schema patches, codelists.
oer_util.session.mount("https://", _adapter)
oer_util.session.mount("http://", _adapter)
# jsonref's default loader calls `requests.get(uri)`; give it a session that only has the adapter.
_offline = requests.Session()
_offline.mount("https://", _adapter)
_offline.mount("http://", _adapter)
jsonref.requests = _offline


def validate(path):
    config = LibCoveOCDSConfig()
    config.config["context"] = "api"
    config.config["standard_zip"] = STANDARD_ZIP.as_uri()
    # requests-cache can't store adapter-made responses (no urllib3 raw), so bypass its cache.
    with tempfile.TemporaryDirectory() as tmp, oer_util.session.cache_disabled():
        return libcoveocds.api.ocds_json_output(tmp, path, "1.1", lib_cove_ocds_config=config)


def main(paths):
    failed = False
    n_bad = 0
    for p in paths:
        r = validate(p)
        problems = {
            "validation_errors": r.get("validation_errors"),
            "additional_closed_codelist_values": r.get("additional_closed_codelist_values"),
            "invalid_extensions": (r.get("extensions") or {}).get("invalid_extensions"),
            "additional_fields": r.get("additional_fields"),
            "json_deref_error": r.get("json_deref_error"),
        }
        problems = {k: v for k, v in problems.items() if v}
        print(f"{p}: {'FAIL' if problems else 'ok'} (releases/records: {r.get('count')})")
        if problems:
            failed = True
            n_bad += 1
            print(json.dumps(problems, indent=2, default=list))
        if r.get("additional_open_codelist_values"):
            print("  note: open-codelist values outside the OCDS codelists:",
                  {k: v["values"] for k, v in r["additional_open_codelist_values"].items()})
    print(f"ocds: {len(paths) - n_bad} passed, {n_bad} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
