"""Settings of the test OpenID Connect provider (a separate Django project; see serve.py). Everything that differs
per run comes from the environment the test fixture sets: the SQLite file, the secret key, the control token."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = os.environ["IDP_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.support.oidc_provider.urls"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
USE_I18N = False

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
    "tests.support.oidc_provider.apps.TestIdpConfig",
]
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["IDP_DB_PATH"]}}
# Each process has its own session cookie name, so a browser that visits both the product and the IdP on
# 127.0.0.1 (cookies ignore the port) keeps two sessions.
SESSION_COOKIE_NAME = "idp_sessionid"
CSRF_COOKIE_NAME = "idp_csrftoken"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # throwaway users, fast logins
LOGIN_URL = "/login/"

# django-oidc-provider
OIDC_USERINFO = "tests.support.oidc_provider.claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.support.oidc_provider.claims.GroupsClaims"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True  # name, email, groups in the ID token as well as from userinfo
OIDC_IDTOKEN_EXPIRE = 600
OIDC_CODE_EXPIRE = 300
OIDC_TOKEN_EXPIRE = 3600

# The test side: the control endpoints answer only requests carrying this token.
IDP_CONTROL_TOKEN = os.environ["IDP_CONTROL_TOKEN"]
IDP_REQUIRE_PKCE = os.environ.get("IDP_REQUIRE_PKCE", "1") == "1"
IDP_PRIVATE_KEY_PATH = os.environ["IDP_PRIVATE_KEY_PATH"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
