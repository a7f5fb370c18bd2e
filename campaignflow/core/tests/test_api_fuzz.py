"""API fuzzing with schemathesis against our own OpenAPI document: for every operation, generated
requests (valid and invalid) never get a 5xx, and documented responses match their schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import make_user

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 12  # per operation; ~200 operations


def _load_schema():
    from django.core.wsgi import get_wsgi_application

    # Generating the OpenAPI document touches no database table, so it can load at collection time.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = _load_schema()


@pytest.fixture
def token(db, campaign):
    from campaignflow.accounts.services import token_create

    user = make_user("fuzzer", "admin")
    return token_create(user=user, name="fuzz")[1]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses_conform(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=(not_a_server_error, response_schema_conformance))
