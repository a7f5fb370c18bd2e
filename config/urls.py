from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from campaignflow.core.views import healthz

from .api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("campaignflow.accounts.urls")),
    path("", include("campaignflow.campaigns.urls")),
    path("", include("campaignflow.planning.urls")),
    path("", include("campaignflow.goals.urls")),
    path("", include("campaignflow.tracking.urls")),
    path("", include("campaignflow.budgets.urls")),
    path("", include("campaignflow.execution.urls")),
    path("", include("campaignflow.notifications.urls")),
    path("", include("campaignflow.alerts.urls")),
    path("", include("campaignflow.review.urls")),
    path("", include("campaignflow.materials.urls")),
    path("", include("campaignflow.events.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
