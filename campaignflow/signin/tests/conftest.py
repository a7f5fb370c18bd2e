"""Sign-in test helpers: a source registered in the method registry like a real method's module registers one."""

import pytest

from campaignflow.signin import methods
from campaignflow.signin.domain.identity import Identity


class DirectorySource:
    """A sign-in source held in memory: the people it has now, by subject. Registered as method `test-dir` with a
    `refresh`, as the LDAP module registers its directory."""

    def __init__(self):
        self.people: dict[str, Identity] = {}
        self.reads = 0

    def put(self, identity: Identity) -> Identity:
        self.people[identity.subject] = identity
        return identity

    def refresh(self, subjects):
        self.reads += 1
        return {s: self.people.get(s) for s in subjects}


@pytest.fixture
def test_source():
    source = DirectorySource()
    methods.register(
        "test-dir",
        lambda: methods.Method(
            id="test-dir", kind="oidc", name="测试目录", login_url="/test-dir/", refresh=source.refresh
        ),
    )
    yield source
    methods.unregister("test-dir")


from tests.support.identity_fixtures import (  # noqa: E402, F401  (the real identity servers, ADR 0013)
    dingtalk_server,
    feishu_server,
    oidc_provider,
    oidc_provider_factory,
    wecom_server,
)
