"""CampaignFlow settings, read from the environment (12-factor).

Every knob an operator may turn is an environment variable; the defaults make `make run`
work on a laptop (SQLite, DEBUG on for the local server only when asked).
"""

import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The local default key is only for development; production must set SECRET_KEY (check --deploy says so).
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-campaignflow-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first: the core app's compilemessages (msgfmt fallback) overrides Django's.
    "campaignflow.core",
    "campaignflow.accounts",
    "campaignflow.signin",
    "campaignflow.campaigns",
    "campaignflow.planning",
    "campaignflow.goals",
    "campaignflow.tracking",
    "campaignflow.budgets",
    "campaignflow.execution",
    "campaignflow.materials",
    "campaignflow.events",
    "campaignflow.notifications",
    "campaignflow.alerts",
    "campaignflow.review",
    "campaignflow.reports",
    "campaignflow.assistant",
    "campaignflow.today",
    "campaignflow.chatcards",
    "campaignflow.pwa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "campaignflow.core.middleware.SecurityHeadersMiddleware",
    "campaignflow.core.middleware.UploadSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "campaignflow.signin.refresh.RoleRefreshMiddleware",
    "campaignflow.accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "campaignflow.pwa.middleware.FetchedFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "campaignflow.core.middleware.DomainErrorMiddleware",
    "campaignflow.core.middleware.ApiJsonErrorsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The public lane (campaignflow.core.lanes): the anonymous event registration pages and API run without the
# middleware of signed-in people and of static files; the same security headers, CSRF, upload limit, NUL check,
# languages and JSON errors.
PUBLIC_PATHS = ("/api/v1/public/", "/e/")
_SIGNED_IN_ONLY = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "campaignflow.signin.refresh.RoleRefreshMiddleware",
    "campaignflow.accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
}
PUBLIC_MIDDLEWARE = [
    "campaignflow.core.lanes.PublicRequestMiddleware" if m.endswith(".AuthenticationMiddleware") else m
    for m in MIDDLEWARE
    if m not in _SIGNED_IN_ONLY
]

ROOT_URLCONF = "config.urls"
PUBLIC_URLCONF = "config.public_urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campaignflow.notifications.context_processors.inbox",
                "campaignflow.assistant.context_processors.assistant",
                "campaignflow.campaigns.context_processors.team",
            ],
        },
    }
]

# --- Database ------------------------------------------------------------------------------
# SQLite by default. IMMEDIATE transactions + WAL: plain deferred transactions lost most
# concurrent writes to "database is locked" (DESIGN.md); IMMEDIATE takes the write lock up front.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.environ.get('SQLITE_PATH', BASE_DIR / 'db.sqlite3')}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    # PostgreSQL's default random_page_cost (4) prices random reads for spinning disks: it then sorts
    # the 2,800 rows of a campaign's day after a bitmap scan (20 ms) instead of reading them in order
    # from the (campaign, date, channel, metric) index (6 ms). 1.1 is the usual value for SSDs.
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    _pg["options"] = f"{_pg.get('options', '')} -c random_page_cost={os.environ.get('PG_RANDOM_PAGE_COST', '1.1')}"
    # Prepared statements: the same few queries run on every request (the token, the campaign with the caller's
    # role, the change stamp), and PostgreSQL planned each one anew: 0.9 → 0.3 ms of its CPU a request
    # (make bench-scale). Off behind a transaction-pooling PgBouncer: PG_PREPARED=0.
    if env_bool("PG_PREPARED", True):
        _pg["server_side_binding"] = True
        _pg["prepare_threshold"] = int(os.environ.get("PG_PREPARE_THRESHOLD", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------
# Per-process memory by default; CACHE_URL=redis://127.0.0.1:6379/1 shares one cache between the
# workers of a deployment. Cached reads are keyed by the data's change stamp (campaigns.read_cache), so
# per-process caches never serve a stale read after a committed change.
_REDIS = os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://"))
# "local": the cached reads (campaigns.read_cache), in each worker process's memory, looked in first (ADR 0024).
# "shared": where a read built once after a change waits for every worker (campaigns.read_cache.warm, ADR 0019):
# Redis when there is one (the same as "default"), else a table of the database; under pytest a second memory
# cache (test databases are emptied between tests, a table would outlive them), READ_CACHE_SHARED overrides.
READ_CACHE_SHARED = os.environ.get("READ_CACHE_SHARED") or (
    "redis" if _REDIS else "memory" if "pytest" in sys.modules else "database"
)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
        if _REDIS
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}
    ),
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "reads",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    "shared": {
        "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ.get("CACHE_URL")},
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cf_shared_cache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
    }[READ_CACHE_SHARED],
}
READ_CACHE_SECONDS = int(os.environ.get("READ_CACHE_SECONDS", "60"))

# --- Auth ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# axes first (lockout for passwords and directory passwords alike), then the company directory, local passwords,
# and the backend that loads the sessions of external sign-ins (campaignflow.signin, ADR 0011).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "campaignflow.signin.ldap_backend.LDAPBackend",
    "campaignflow.signin.backends.PasswordBackend",
    "campaignflow.signin.backends.SessionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "campaigns:list"
LOGOUT_REDIRECT_URL = "login"

# --- Company sign-in (docs/operations.md "Company sign-in") -------------------------------------
# PASSWORD_LOGIN: "all" (local passwords for everyone) or "admins" (only superusers / the admin role, the
# break-glass administrator; everyone else signs in with the company's identity).
PASSWORD_LOGIN = os.environ.get("PASSWORD_LOGIN", "all").strip().lower()
# Directory/IdP groups or departments → global roles at every sign-in, e.g. "finance=finance,marketing-directors=
# director"; checked when the app starts (a bad entry stops it, naming the entry). Empty: sign-ins never change roles.
SSO_ROLE_MAP = os.environ.get("SSO_ROLE_MAP", "")
# A signed-in person's directory entry is read again at most this often (seconds) on their requests: a role taken
# away there is gone at their next request after that; 0 = only at sign-in and by the sync.
SSO_ROLE_REFRESH_SECONDS = int(os.environ.get("SSO_ROLE_REFRESH_SECONDS", "300"))
# The company directory (OpenLDAP / Active Directory) over ldap3; the login form takes its passwords when LDAP_URI is
# set. Defaults fit OpenLDAP; AD: LDAP_USER_FILTER="(sAMAccountName=%(user)s)", LDAP_ATTR_UUID=objectGUID.
LDAP_URI = os.environ.get("LDAP_URI", "").strip()  # ldap://host:389 or ldaps://host:636
LDAP_START_TLS = env_bool("LDAP_START_TLS", False)
LDAP_CA_FILE = os.environ.get("LDAP_CA_FILE", "")  # the CA that signed the server's certificate (else the system's)
LDAP_BIND_DN = os.environ.get("LDAP_BIND_DN", "")  # the service account that searches (empty: anonymous)
LDAP_BIND_PASSWORD = os.environ.get("LDAP_BIND_PASSWORD", "")
LDAP_USER_SEARCH_BASE = os.environ.get("LDAP_USER_SEARCH_BASE", "")
LDAP_USER_FILTER = os.environ.get("LDAP_USER_FILTER", "(uid=%(user)s)")
LDAP_GROUP_SEARCH_BASE = os.environ.get("LDAP_GROUP_SEARCH_BASE", "")
LDAP_GROUP_FILTER = os.environ.get("LDAP_GROUP_FILTER", "(|(member=%(dn)s)(uniqueMember=%(dn)s)(memberUid=%(user)s))")
# attributes: comma-separated alternatives, the first one present wins
LDAP_ATTR_USERNAME = os.environ.get("LDAP_ATTR_USERNAME", "uid,sAMAccountName")
LDAP_ATTR_DISPLAY_NAME = os.environ.get("LDAP_ATTR_DISPLAY_NAME", "displayName,cn")
LDAP_ATTR_EMAIL = os.environ.get("LDAP_ATTR_EMAIL", "mail")
LDAP_ATTR_DEPARTMENT = os.environ.get("LDAP_ATTR_DEPARTMENT", "department,departmentNumber,ou")
LDAP_ATTR_UUID = os.environ.get("LDAP_ATTR_UUID", "entryUUID")  # AD: objectGUID
# The directory's mail attribute proves the address (a first sign-in joins the account with that e-mail); set 0
# when people can edit their own mail attribute in the directory.
LDAP_TRUST_EMAIL = env_bool("LDAP_TRUST_EMAIL", True)
LDAP_TIMEOUT = float(os.environ.get("LDAP_TIMEOUT", "5"))  # seconds, to connect and for each answer
LDAP_SYNC_MINUTES = int(os.environ.get("LDAP_SYNC_MINUTES", "60"))  # the leavers' sync (scheduler)
# OpenID Connect (Keycloak, Authing, Azure AD, …; ADR 0015): the button appears when OIDC_ISSUER and OIDC_CLIENT_ID
# are set. Register the redirect URI SITE_URL + "/signin/oidc/callback/" at the IdP (SITE_URL below).
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()  # discovery: OIDC_ISSUER/.well-known/openid-configuration
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile email")  # "openid" is always asked for
OIDC_NAME = os.environ.get("OIDC_NAME", "")  # the button's text; empty: 公司账号 / Company account
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")  # a dotted path works: realm_access.roles
# DingTalk, Feishu/Lark and WeCom apps (QR-code login on the login page, 免登 inside the app; ADR 0015). Callback
# URLs to register in their developer consoles: SITE_URL + "/signin/dingtalk/callback/" (…/feishu/…, …/wecom/…).
DINGTALK_APP_KEY = os.environ.get("DINGTALK_APP_KEY", "").strip()  # 企业内部应用的 Client ID (AppKey)
DINGTALK_APP_SECRET = os.environ.get("DINGTALK_APP_SECRET", "")
DINGTALK_CORP_ID = os.environ.get("DINGTALK_CORP_ID", "").strip()
DINGTALK_API_BASE = os.environ.get("DINGTALK_API_BASE", "https://api.dingtalk.com").rstrip("/")
DINGTALK_OAPI_BASE = os.environ.get("DINGTALK_OAPI_BASE", "https://oapi.dingtalk.com").rstrip("/")
DINGTALK_LOGIN_BASE = os.environ.get("DINGTALK_LOGIN_BASE", "https://login.dingtalk.com").rstrip("/")
DINGTALK_JSAPI_URL = os.environ.get(
    "DINGTALK_JSAPI_URL", "https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.25/dingtalk.open.js"
)
FEISHU_APP_ID = os.environ.get("FEISHU_APP_ID", "").strip()
FEISHU_APP_SECRET = os.environ.get("FEISHU_APP_SECRET", "")
# Lark (international): https://open.larksuite.com and https://accounts.larksuite.com
FEISHU_API_BASE = os.environ.get("FEISHU_API_BASE", "https://open.feishu.cn").rstrip("/")
FEISHU_ACCOUNTS_BASE = os.environ.get("FEISHU_ACCOUNTS_BASE", "https://accounts.feishu.cn").rstrip("/")
FEISHU_JSSDK_URL = os.environ.get(
    "FEISHU_JSSDK_URL", "https://lf1-cdn-tos.bytegoofy.com/goofy/lark/op/h5-js-sdk-1.5.23.js"
)
WECOM_CORP_ID = os.environ.get("WECOM_CORP_ID", "").strip()
WECOM_AGENT_ID = os.environ.get("WECOM_AGENT_ID", "").strip()
WECOM_SECRET = os.environ.get("WECOM_SECRET", "")  # the self-built app's Secret
WECOM_API_BASE = os.environ.get("WECOM_API_BASE", "https://qyapi.weixin.qq.com").rstrip("/")
WECOM_LOGIN_BASE = os.environ.get("WECOM_LOGIN_BASE", "https://login.work.weixin.qq.com").rstrip("/")
WECOM_OAUTH_BASE = os.environ.get("WECOM_OAUTH_BASE", "https://open.weixin.qq.com").rstrip("/")
# Interactive cards in the chat apps (ADR 0018): a person with a linked DingTalk / Feishu / WeCom identity gets their
# notifications there too, as a card whose buttons act (approve, acknowledge) through signed callbacks.
DINGTALK_AGENT_ID = os.environ.get("DINGTALK_AGENT_ID", "").strip()  # the app's AgentId: work notifications
# Feishu's 事件与回调 → 加密策略: the card callback URL (SITE_URL + "/chat/feishu/card/") answers only with both set.
FEISHU_VERIFICATION_TOKEN = os.environ.get("FEISHU_VERIFICATION_TOKEN", "")
FEISHU_ENCRYPT_KEY = os.environ.get("FEISHU_ENCRYPT_KEY", "")
# WeCom's 接收消息 settings of the app: the callback URL SITE_URL + "/chat/wecom/callback/", its Token and
# EncodingAESKey (43 characters).
WECOM_CALLBACK_TOKEN = os.environ.get("WECOM_CALLBACK_TOKEN", "")
WECOM_ENCODING_AES_KEY = os.environ.get("WECOM_ENCODING_AES_KEY", "").strip()
CHAT_CARD_TOKEN_HOURS = int(os.environ.get("CHAT_CARD_TOKEN_HOURS", "72"))  # a card's buttons work this long
# The daily "today's numbers are missing" reminder: a campaign's time unless its team set another (HH:MM)
NUMBERS_REMINDER_DEFAULT = os.environ.get("NUMBERS_REMINDER_DEFAULT", "10:00")
# Seconds to wait for the IdP or a chat platform (each request); the chat apps' leavers' sync (scheduler).
SSO_HTTP_TIMEOUT = float(os.environ.get("SSO_HTTP_TIMEOUT", "10"))
CHAT_SYNC_MINUTES = int(os.environ.get("CHAT_SYNC_MINUTES", "60"))

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- I18n / time ---------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded files (materials): under MEDIA_ROOT, or with MATERIAL_STORAGE=s3 in a bucket of an S3-compatible
# store (AWS S3, MinIO, Ceph…) through django-storages. The objects stay private: every download goes through
# the app's access check. Credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, a profile, an instance role). docs/operations.md, "Storage".
MATERIAL_STORAGE = os.environ.get("MATERIAL_STORAGE", "filesystem")
if MATERIAL_STORAGE not in ("filesystem", "s3") or (
    MATERIAL_STORAGE == "s3" and not os.environ.get("AWS_STORAGE_BUCKET_NAME")
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("MATERIAL_STORAGE is 'filesystem' (the default) or 's3' with AWS_STORAGE_BUCKET_NAME.")
if MATERIAL_STORAGE == "s3":
    from boto3.s3.transfer import TransferConfig

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "location": os.environ.get("AWS_LOCATION", ""),  # a key prefix inside the bucket
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # e.g. http://minio:9000
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for most MinIO setups
            "default_acl": None,  # the bucket's own (private); never public-read
            "querystring_auth": True,
            "max_memory_size": 8 * 1024 * 1024,  # a file read back whole (a preview) spills to disk past 8 MB
            # an upload goes up in 5 MB parts, 4 at a time: boto3's default (8 MB parts, up to 10 read ahead)
            # grew a web worker by 127 MB for a 200 MB file (bench/bench_materials.py)
            "transfer_config": TransferConfig(multipart_chunksize=5 * 1024 * 1024, max_concurrency=4),
        },
    }

# --- E-mail --------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# --- Assistant (optional; docs/operations.md "Assistant", ADR 0016) --------------------------
# Any OpenAI-compatible endpoint (DeepSeek, Qwen, GLM, vLLM, Ollama). Unset: the assistant is hidden, 503.
AI_BASE_URL = os.environ.get("AI_BASE_URL", "")
AI_API_KEY = os.environ.get("AI_API_KEY", "")
AI_MODEL = os.environ.get("AI_MODEL", "")
AI_TIMEOUT = float(os.environ.get("AI_TIMEOUT", "30"))  # seconds for a whole call, retries included
AI_MAX_RETRIES = int(os.environ.get("AI_MAX_RETRIES", "2"))  # after a 429, a 5xx or a dropped connection
AI_JSON_MODE = env_bool("AI_JSON_MODE", True)  # ask for response_format json_object (dropped if refused)
AI_DAILY_TOKENS_PER_USER = int(os.environ.get("AI_DAILY_TOKENS_PER_USER", "200000"))  # 0: no limit
AI_DAILY_TOKENS_PER_CAMPAIGN = int(os.environ.get("AI_DAILY_TOKENS_PER_CAMPAIGN", "500000"))  # 0: no limit
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "campaignflow@localhost")

# --- Background tasks ----------------------------------------------------------------------
# Background work runs in `manage.py db_worker` (django-tasks' database backend: nothing else to
# install); `manage.py run_scheduler` runs the periodic checks and sweeps the notification outbox.
# Scale-out path: TASKS_BACKEND=django_tasks_rq.RQBackend with REDIS_URL, and `manage.py rqworker default`.
TASKS = {
    "default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"), "QUEUES": ["default"]}
}
RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 600}}

# Notifications: webhooks only to these hosts (+ WEBHOOK_EXTRA_HOSTS), links made absolute with SITE_URL.
WEBHOOK_ALLOWED_HOSTS = [
    "oapi.dingtalk.com",
    "qyapi.weixin.qq.com",
    "open.feishu.cn",
    "open.larksuite.com",
    "hooks.slack.com",
    *env_list("WEBHOOK_EXTRA_HOSTS"),
]
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
# Webhooks connect only to public addresses on ports 80/443 (checked when connecting, no redirects):
# an internal service needs its network listed (e.g. "10.8.0.0/16") and, on another port, the port.
WEBHOOK_ALLOWED_PORTS = [int(p) for p in env_list("WEBHOOK_ALLOWED_PORTS")] or [80, 443]
WEBHOOK_ALLOWED_NETWORKS = [str(ipaddress.ip_network(n, strict=False)) for n in env_list("WEBHOOK_ALLOWED_NETWORKS")]
# The same alert (rule × subject) again within this many hours is counted on its notification, not re-sent.
NOTIFICATION_REPEAT_HOURS = float(os.environ.get("NOTIFICATION_REPEAT_HOURS", "24"))
# Also the base of the sign-in redirect URIs registered at the IdP and the chat apps (/signin/…/callback/): set it to
# the address people type (https://campaigns.example.com), not an internal one.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Event registration: limits on the public writes ("count/seconds", "0" = off), the debounce of the 报名/签到
# recount, the PIPL retention after archiving, the text-message sender for reminders (docs/operations.md).
EVENTS_RATE_PER_IP = os.environ.get("EVENTS_RATE_PER_IP", "20/60")
EVENTS_RATE_PER_EVENT = os.environ.get("EVENTS_RATE_PER_EVENT", "5000/10")
EVENTS_METRICS_DELAY = float(os.environ.get("EVENTS_METRICS_DELAY", "5"))
EVENTS_RETENTION_DAYS = int(os.environ.get("EVENTS_RETENTION_DAYS", "30"))
EVENTS_SMS_SENDER = os.environ.get("EVENTS_SMS_SENDER", "campaignflow.events.sms.ConsoleSender")

# --- Security ----------------------------------------------------------------------------------
# PRODUCTION=1 turns on the HTTPS-only defaults (each can still be set on its own); it refuses to start
# without a real SECRET_KEY. `manage.py check --deploy --fail-level WARNING` passes with it.
PRODUCTION = env_bool("PRODUCTION", False)
if PRODUCTION:
    DEBUG = False
    if SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 50:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("PRODUCTION=1 needs SECRET_KEY set to a random string of 50+ characters.")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Application limits --------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(50 * 1024 * 1024)))
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Material files (designs, videos, print PDFs): MATERIAL_UPLOAD_MAX_MB, 200 MB unless set.
MATERIAL_UPLOAD_MAX_BYTES = int(os.environ.get("MATERIAL_UPLOAD_MAX_MB", "200")) * 1024 * 1024
# An image larger than this many pixels is refused at upload (a decompression bomb), before it is decoded.
MATERIAL_IMAGE_MAX_PIXELS = int(os.environ.get("MATERIAL_IMAGE_MAX_PIXELS", str(100_000_000)))
# Metric uploads above either size are imported by the background worker with a progress bar.
METRIC_IMPORT_BACKGROUND_BYTES = int(os.environ.get("METRIC_IMPORT_BACKGROUND_BYTES", str(2 * 1024 * 1024)))
METRIC_IMPORT_BACKGROUND_ROWS = int(os.environ.get("METRIC_IMPORT_BACKGROUND_ROWS", "50000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Even at LOG_LEVEL=DEBUG: authlib logs the PKCE verifier and urllib3 the URLs it requests (the chat apps'
        # token requests carry the app secret in the query). Tokens and secrets are never logged.
        "authlib": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}

# whitenoise serves static files straight from the app's folders too (no collectstatic needed
# for `make run`); production runs collectstatic and can set STATICFILES_BACKEND to the
# compressed manifest storage.
WHITENOISE_USE_FINDERS = True
