"""Security settings: the deploy check passes in production mode, headers, no inline scripts."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="campaignflow.example.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    result = _manage("check", PRODUCTION="1")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_pages_send_a_strict_content_security_policy(db):
    response = Client().get("/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_scripts_or_event_handlers():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("campaignflow/*/templates/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\son(click|change|submit|load|input|keyup|keydown)=", text):
            offenders.append(f"{path}: inline event handler")
    assert offenders == []


def test_login_form_and_forms_carry_csrf(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/login/", {"username": "x", "password": "y"}).status_code == 403
    assert 'name="csrfmiddlewaretoken"' in client.get("/login/").content.decode()


def test_oversized_upload_is_refused_before_the_body_is_read(db, settings, users, campaign, api_for):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    api = api_for(users["owner"])

    class Exploding:
        """A body stream that fails if anything reads it."""

        def read(self, *args):
            raise AssertionError("the body was read")

    from django.test import RequestFactory

    from config.wsgi import application

    request = RequestFactory().post(
        f"/api/v1/campaigns/{campaign.id}/metrics/import",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        HTTP_AUTHORIZATION=api.headers["HTTP_AUTHORIZATION"],
    )
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)
    request.META["wsgi.input"] = Exploding()
    response = application.get_response(request)
    assert response.status_code == 413 and b"1 MB" in response.content
