"""A form that static/js/offline.js sends itself (header `X-CF-Submit: fetch`) learns where the page would go.

The site's forms answer "saved" with a redirect (ADR 0006). A script's fetch cannot read a redirect's target
without following it, and following it would show the next page's one-time messages to the script instead of
the person. So for such a request a redirect becomes `204 No Content` with the target in `X-CF-Location`
(cookies and messages kept); the script then opens that page. A redirect to the log-in page (the session ended)
becomes 401: the script keeps the queued form until the same person signs in again. Other answers (422 with the
form's errors, 409 for a stale version) pass unchanged.
"""

SUBMIT_HEADER = "X-CF-Submit"
LOCATION_HEADER = "X-CF-Location"


class FetchedFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        fetched = request.method == "POST" and request.headers.get(SUBMIT_HEADER) == "fetch"
        if fetched and response.status_code in (301, 302, 303, 307, 308) and "Location" in response:
            signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
            response[LOCATION_HEADER] = response["Location"]
            del response["Location"]
            response.status_code = 204 if signed_in else 401
            response.content = b""
        return response
