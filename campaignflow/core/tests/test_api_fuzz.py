"""API fuzzing with schemathesis against our own OpenAPI document: for every operation, generated
requests (valid and invalid) never get a 5xx, and documented responses match their schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import make_user

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8  # per operation (plus schemathesis' own negative and boundary cases)


def _load_schema():
    from django.core.wsgi import get_wsgi_application

    # Generating the OpenAPI document touches no database table, so it can load at collection time.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler closes database connections after each request; inside a test transaction
    that would close the test's own connection (Django's test client disconnects the same hook)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _assistant_configured(settings):
    """The assistant pointed at the fake endpoint on 127.0.0.1, so that its operations are fuzzed past the
    switch. Unset, every one of them answers 503 (documented, as are its 429, 502 and 504), which this test's
    `not_a_server_error` counts as a failure whatever the document says; that answer's conformance to the
    document is checked in assistant/tests/test_openapi_errors.py."""
    from campaignflow.assistant.tests.fake_endpoint import ai_settings

    for name, value in ai_settings().items():
        setattr(settings, name, value)


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
