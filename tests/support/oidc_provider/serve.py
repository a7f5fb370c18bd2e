"""Run the test OpenID Connect provider: `python -m tests.support.oidc_provider.serve` with the environment
tests/support/oidc.py sets (IDP_DB_PATH, IDP_SECRET_KEY, IDP_CONTROL_TOKEN, IDP_PRIVATE_KEY_PATH, IDP_CLIENT_ID,
IDP_CLIENT_SECRET, IDP_REDIRECT_URIS). It creates its database, its RS256 key and its one confidential client,
listens on a free port of 127.0.0.1 and prints `READY <base url>` once it accepts requests."""

import os
import sys
import threading


def _exit_with_parent() -> None:
    """The test process holds our stdin open; when it ends (even killed), stdin closes and so do we."""
    sys.stdin.read()
    os._exit(0)


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.support.oidc_provider.settings"
    import django

    django.setup()
    from pathlib import Path

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", run_syncdb=True, verbosity=0)
    RSAKey.objects.all().delete()
    RSAKey.objects.create(key=Path(os.environ["IDP_PRIVATE_KEY_PATH"]).read_text())
    client = Client(
        name="CampaignFlow",
        client_type="confidential",
        client_id=os.environ["IDP_CLIENT_ID"],
        client_secret=os.environ["IDP_CLIENT_SECRET"],
        jwt_alg="RS256",
        require_consent=False,  # consent is skipped for this (confidential) client
        reuse_consent=True,
    )
    client.redirect_uris = [uri for uri in os.environ.get("IDP_REDIRECT_URIS", "").split() if uri]
    client.save()
    client.response_types.set([ResponseType.objects.get(value="code")])

    threading.Thread(target=_exit_with_parent, daemon=True).start()
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    httpd.set_app(WSGIHandler())
    print(f"READY http://127.0.0.1:{httpd.server_port}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
