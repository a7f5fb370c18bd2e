"""Domain errors that escape a web view become a friendly page with the right status."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # PostgreSQL cannot store NUL characters; refuse them up front instead of failing in the database.
        if not request.path.startswith("/api/") and _has_nul(request):
            return render(
                request, "error.html", {"status": 400, "message": "NUL characters are not allowed."}, status=400
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(
                request,
                "error.html",
                {"status": exception.status, "message": exception.detail},
                status=exception.status,
            )
        return None


class ApiJsonErrorsMiddleware:
    """Unknown /api/v1/ paths (Django's resolver 404) and a wrong method on a known path (ninja's
    plain-text 405) answer JSON like the API's other errors, not the site's HTML pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code in (404, 405)
            and request.path.startswith("/api/v1/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            if response.status_code == 404:
                return JsonResponse({"detail": _("Not found.")}, status=404)
            allowed = response.get("Allow", "")
            message = _("Method %(method)s is not allowed here; use %(allowed)s.")
            json_response = JsonResponse(
                {"detail": message % {"method": request.method, "allowed": allowed}}, status=405
            )
            json_response["Allow"] = allowed
            return json_response
        return response


def _has_nul(request) -> bool:
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    return False


class SecurityHeadersMiddleware:
    """Content-Security-Policy: scripts, styles, fonts and images only from the app itself.

    Inline style attributes are allowed (progress bars, chart sizes); inline scripts and event
    handlers are not: templates pass data with json_script and behaviour with data attributes.
    """

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
        "object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The API docs page (Swagger UI) needs an inline script of its own; everything else is strict.
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class UploadSizeLimitMiddleware:
    """Refuse an oversized request body with 413 from its Content-Length, before any of it is read.

    Material files (posters, videos) have their own, larger limit; their uploads are also hashed while
    they stream to disk (`core.uploads.DigestingUploadHandler`), so a 200 MB video is read once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import JsonResponse

        from .uploads import install_digesting_handler, is_large_file_upload

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        large = is_large_file_upload(request.path)
        max_bytes = settings.MATERIAL_UPLOAD_MAX_BYTES if large else settings.UPLOAD_MAX_BYTES
        limit = max_bytes + 64 * 1024  # the file plus its multipart envelope
        if length > limit:
            with translation.override(translation.get_language_from_request(request)):  # before LocaleMiddleware
                message = _("The upload is larger than the %(n)d MB limit.") % {"n": max_bytes // (1024 * 1024)}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return render(request, "error.html", {"status": 413, "message": message}, status=413)
        if large and request.method == "POST":
            install_digesting_handler(request, max_bytes)
        return self.get_response(request)
