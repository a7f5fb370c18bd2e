"""The one NinjaAPI: every app's router (config.app_modules), and the single mapping of domain errors to HTTP."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from campaignflow.accounts.auth import API_AUTH
from campaignflow.core.errors import DomainError
from campaignflow.core.schema_messages import schema_error_message

from .app_modules import app_modules

NUL_MESSAGE = gettext_lazy("Text must not contain NUL (\\u0000) characters.")
OBJECT_MESSAGE = gettext_lazy("Send a JSON object ({…}) with the fields as its keys.")


class RefusedInput(ValueError):
    """Input refused while it is parsed, before any schema sees it: answered 422 naming where it is."""

    message = NUL_MESSAGE

    def __init__(self, locations: list[tuple]):
        super().__init__(str(self.message))
        self.locations = locations


class NulCharacters(RefusedInput):
    """Input text with NUL characters: PostgreSQL cannot store them (it would be a 500), so refuse it."""


class NotAnObject(RefusedInput):
    """A JSON body that is a string, a number or a list: every body of this API is an object (or none), and
    a schema would read its fields as the value's attributes ("x".title)."""

    message = OBJECT_MESSAGE


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
    """The default JSON/query parser, refusing NUL characters in any text (422 naming the field) and a JSON
    body that is not an object (422 naming the body)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if data is not None and not isinstance(data, dict):
            raise NotAnObject([()])
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
for module in app_modules("api"):
    api.add_router("", module.router)

_LOCATIONS = {"body", "payload", "query", "path", "filters", "data", "form", "file"}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if str(p) not in _LOCATIONS]
    if not parts and loc and str(loc[-1]) == "file":  # an upload's part: ("file", "file")
        return "file"
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
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": _("Authentication required: send Authorization: Bearer <token>.")}, status=401
    )


@api.exception_handler(RefusedInput)
def refused_input(request, exc: RefusedInput):
    errors = [{"field": _field_name(loc), "message": str(exc.message)} for loc in exc.locations]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, RefusedInput):  # raised while parsing the body
        return refused_input(request, exc.__cause__)
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):  # ninja's own words
        message = _("The request body is not valid JSON.")
        return api.create_response(
            request, {"detail": f"body: {message}", "errors": [{"field": "body", "message": message}]}, status=400
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
