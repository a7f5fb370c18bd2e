"""The one NinjaAPI: routers per app, and the single mapping of domain errors to HTTP."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from campaignflow.accounts.api import router as accounts_router
from campaignflow.accounts.auth import API_AUTH
from campaignflow.alerts.api import router as alerts_router
from campaignflow.budgets.api import router as budgets_router
from campaignflow.campaigns.api import router as campaigns_router
from campaignflow.core.errors import DomainError
from campaignflow.core.parsing import schema_error_message
from campaignflow.events.api import router as events_router
from campaignflow.execution.api import router as execution_router
from campaignflow.goals.api import router as goals_router
from campaignflow.materials.api import router as materials_router
from campaignflow.notifications.api import router as notifications_router
from campaignflow.planning.api import router as planning_router
from campaignflow.reports.api import router as reports_router
from campaignflow.review.api import router as review_router
from campaignflow.tracking.api import router as tracking_router

NUL_MESSAGE = gettext_lazy("Text must not contain NUL (\\u0000) characters.")


class NulCharacters(ValueError):
    """Input text with NUL characters: PostgreSQL cannot store them (it would be a 500), so refuse it."""

    def __init__(self, locations: list[tuple]):
        super().__init__(str(NUL_MESSAGE))
        self.locations = locations


def _nul_locations(value, loc: tuple = ()) -> list[tuple]:
    if isinstance(value, str):
        return [loc] if "\x00" in value else []
    found: list[tuple] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                found.append((*loc, key.replace("\x00", "")))
            found.extend(_nul_locations(item, (*loc, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_nul_locations(item, (*loc, index)))
    return found


class InputParser(Parser):
    """The default JSON/query parser, refusing NUL characters in any text (422 naming the field)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if bad := _nul_locations(data):
            raise NulCharacters(bad)  # ninja wraps it in HttpError(400); http_error below unwraps it
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if bad := _nul_locations(result):
            raise NulCharacters(bad)
        return result


api = NinjaAPI(
    title="CampaignFlow API",
    version="1",
    description="营销活动策划与执行跟踪 — everything the web UI can do. Auth: `Authorization: Bearer <token>`.",
    auth=API_AUTH,
    urls_namespace="api",
    parser=InputParser(),
)
api.add_router("", accounts_router)
api.add_router("", campaigns_router)
api.add_router("", planning_router)
api.add_router("", goals_router)
api.add_router("", tracking_router)
api.add_router("", budgets_router)
api.add_router("", execution_router)
api.add_router("", materials_router)
api.add_router("", events_router)
api.add_router("", notifications_router)
api.add_router("", alerts_router)
api.add_router("", review_router)
api.add_router("", reports_router)

_LOCATIONS = {"body", "payload", "query", "path", "filters", "data", "form", "file"}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if str(p) not in _LOCATIONS]
    return ".".join(parts) or "body"


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.payload(), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = [
        {"field": _field_name(e.get("loc", ())), "message": schema_error_message(e) or e.get("msg", "invalid")}
        for e in exc.errors
    ]
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


@api.exception_handler(NulCharacters)
def nul_characters(request, exc: NulCharacters):
    errors = [{"field": _field_name(loc), "message": str(NUL_MESSAGE)} for loc in exc.locations]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, NulCharacters):  # raised while parsing the body
        return nul_characters(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
