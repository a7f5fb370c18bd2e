"""Domain errors that escape a web view become a friendly page with the right status."""

from django.shortcuts import render

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


def _has_nul(request) -> bool:
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    return False
