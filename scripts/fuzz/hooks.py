"""Schemathesis hooks for scripts/fuzz/run (loaded through SCHEMATHESIS_HOOKS).

The fuzzer learns token ids from the API (GET /v1/me, token lists) and sends them to
DELETE /v1/tokens/{id}. Revoking the token the run itself uses is a correct answer (204), but every
later request would then be a 401 and the rest of the run would test nothing. So a revocation aimed
at one of the run's own tokens (FUZZ_PROTECTED_TOKEN_IDS, comma-separated) goes to a random id
instead (a 404). Every other token, and every other operation, is fuzzed as generated.

It also works around a CPython 3.11 parser bug that Hypothesis can run into (see the end of this file).
"""
import os
import uuid

import schemathesis
from hypothesis.internal import lambda_sources

PROTECTED = {value.strip().lower() for value in os.environ.get("FUZZ_PROTECTED_TOKEN_IDS", "").split(",") if value.strip()}


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.method.upper() != "DELETE" or case.operation.path != "/v1/tokens/{id}":
        return
    parameters = case.path_parameters or {}
    if str(parameters.get("id", "")).strip().lower() in PROTECTED:
        parameters["id"] = str(uuid.uuid4())
        case.path_parameters = parameters


# Python 3.11's parser can raise SystemError("AST constructor recursion depth mismatch", CPython gh-106905) when
# Hypothesis parses Schemathesis' largest module to describe one of its lambdas, depending on how deep the stack is
# at that moment; the run then reports a "Runtime Error" for whichever operation was being generated, though no
# request was ever made. The description only names a strategy in reprs, so it falls back to Hypothesis's own
# form for a lambda it cannot read.
_describe_lambda = lambda_sources._lambda_description


def _lambda_description(f, *args, **kwargs):
    try:
        return _describe_lambda(f, *args, **kwargs)
    except SystemError:
        return "lambda *args, **kwargs: <unknown>"


lambda_sources._lambda_description = _lambda_description
