"""A real OpenID Connect provider for the sign-in tests: a small Django project of its own (django-oidc-provider),
run by `tests.support.oidc` in a separate process on 127.0.0.1 with its own SQLite file.

Nothing here is imported by the test process: these modules are the provider's code and settings
(`python -m tests.support.oidc_provider.serve`). The test side is `tests/support/oidc.py`.
"""
