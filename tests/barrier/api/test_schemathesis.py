"""Property-based tests of every /api/v1 operation against the app's own OpenAPI document.

Schemathesis reads the document the app serves, generates valid and invalid requests for each
operation, sends them in-process to the Flask app (WSGI, no network) with a valid key, and checks:
no 500, status codes, content types, headers and bodies as documented, refusal without a key.
(The schema is loaded at collection from an app without a database; ``from_fixture`` does not
work with pytest 9.)
"""

from __future__ import annotations

import json

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from barrier import create_app


def _document() -> dict:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "schema-only"})
    return app.test_client().get("/api/v1/openapi.json").get_json()


@schemathesis.serializer("application/jsonl")
def _json_lines(_ctx, value) -> bytes:
    """The document describes one line of the register sync; send it as a one-line body."""
    return json.dumps(value).encode() + b"\n"


schema = schemathesis.openapi.from_dict(_document())
# Unknown query parameters are refused (test_problems covers it); schemathesis's own extra parameters
# are sometimes not representable in a URL (an empty list), so a request without them "passes".
schema.config.generation.update(allow_extra_parameters=False)

EXAMPLES = 25
DOMAIN_RULES = {"POST /api/v1/applications", "POST /api/v1/screening", "POST /api/v1/register/sync"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_every_operation_conforms_to_its_document(case, app, db, api_key):
    # Checks that send follow-up requests of their own (auth replays) use the schema's app.
    case.operation.schema.app = app
    excluded = []
    if case.operation.label in DOMAIN_RULES:
        # The schema checks the shape; the wizard's forms and the register's rules then apply what no
        # JSON Schema can state (the BSN elfproef, existing postcodes, a name that is not blank, an
        # address that can be found), so a schema-valid request may rightly get 422. Every other
        # check still runs for these operations.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(headers=api_key.headers, app=app, excluded_checks=excluded)
