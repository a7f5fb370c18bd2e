"""The one NinjaAPI: routers per app, and the single mapping of domain errors to HTTP."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from campaignflow.accounts.api import router as accounts_router
from campaignflow.accounts.auth import API_AUTH
from campaignflow.campaigns.api import router as campaigns_router
from campaignflow.core.errors import DomainError
from campaignflow.planning.api import router as planning_router

api = NinjaAPI(
    title="CampaignFlow API",
    version="1",
    description="营销活动策划与执行跟踪 — everything the web UI can do. Auth: `Authorization: Bearer <token>`.",
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("", accounts_router)
api.add_router("", campaigns_router)
api.add_router("", planning_router)

_LOCATIONS = {"body", "payload", "query", "path", "filters", "data", "form", "file"}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if str(p) not in _LOCATIONS]
    return ".".join(parts) or "body"


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.payload(), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Authentication required: send Authorization: Bearer <token>."}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
