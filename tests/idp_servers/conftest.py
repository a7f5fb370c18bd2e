from tests.support.identity_fixtures import (  # noqa: F401
    dingtalk_server,
    feishu_server,
    oidc_provider,
    oidc_provider_factory,
    wecom_server,
)
