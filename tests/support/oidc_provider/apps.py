from django.apps import AppConfig


class TestIdpConfig(AppConfig):
    # The package `oidc_provider` already has the label "oidc_provider".
    name = "tests.support.oidc_provider"
    label = "test_idp"
    default_auto_field = "django.db.models.AutoField"
