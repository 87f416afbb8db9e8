"""Schemathesis hooks for scripts/fuzz/run (loaded through SCHEMATHESIS_HOOKS).

The fuzzer learns token ids from the API (GET /v1/me, token lists) and sends them to
DELETE /v1/tokens/{id}. Revoking the token the run itself uses is a correct answer (204), but every
later request would then be a 401 and the rest of the run would test nothing. So a revocation aimed
at one of the run's own tokens (FUZZ_PROTECTED_TOKEN_IDS, comma-separated) goes to a random id
instead (a 404). Every other token, and every other operation, is fuzzed as generated.
"""
import os
import uuid

import schemathesis

PROTECTED = {value.strip().lower() for value in os.environ.get("FUZZ_PROTECTED_TOKEN_IDS", "").split(",") if value.strip()}


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.method.upper() != "DELETE" or case.operation.path != "/v1/tokens/{id}":
        return
    parameters = case.path_parameters or {}
    if str(parameters.get("id", "")).strip().lower() in PROTECTED:
        parameters["id"] = str(uuid.uuid4())
        case.path_parameters = parameters
