"""pytest fixtures for the identity servers the sign-in tests run against (issue #22): the OpenID Connect
provider and the DingTalk, Feishu and WeCom servers. A test package uses them by importing them into its
conftest.py (as tests/idp_servers/conftest.py does):

    from tests.support.identity_fixtures import dingtalk_server, feishu_server, oidc_provider, wecom_server  # noqa: F401

- `oidc_provider` (session): tests/support/oidc.py's OidcProvider, started once per test process (people and
  redirect URIs added by one test stay for the next: use names of your own); an ID token mutation armed with
  `next_id_token()` is used by the next code exchange, `reset()` drops one left unused.
  `oidc_provider_factory(redirect_uris=..., require_pkce=...)` starts another provider.
- `dingtalk_server`, `feishu_server`, `wecom_server` (function): a fresh server per test (they start in
  milliseconds), so the directory, the codes, the tokens and the recorded calls are the test's own.
"""

from __future__ import annotations

import pytest

from .chat_platforms import DingTalkServer, FeishuServer, WeComServer
from .oidc import OidcProvider


@pytest.fixture(scope="session")
def oidc_provider_factory(tmp_path_factory):
    started: list[OidcProvider] = []

    def start(redirect_uris: tuple[str, ...] = (), require_pkce: bool = True) -> OidcProvider:
        provider = OidcProvider(tmp_path_factory.mktemp("oidc"), redirect_uris, require_pkce).start()
        started.append(provider)
        return provider

    yield start
    for provider in started:
        provider.stop()


@pytest.fixture(scope="session")
def oidc_provider(oidc_provider_factory) -> OidcProvider:
    return oidc_provider_factory()


@pytest.fixture
def dingtalk_server():
    with DingTalkServer() as server:
        yield server


@pytest.fixture
def feishu_server():
    with FeishuServer() as server:
        yield server


@pytest.fixture
def wecom_server():
    with WeComServer() as server:
        yield server
