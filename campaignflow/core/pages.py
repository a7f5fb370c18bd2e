"""An app's pages, each declared on its view as an API endpoint is on its router.

    page = Pages()

    @page("campaigns/<int:pk>/budget/", "budget")
    def budget_page(request, pk): ...

    @page("campaigns/<int:pk>/budget/lines/<int:line_id>/delete/", "line-delete", post=True)
    def line_delete(request, pk, line_id): ...

A page needs a signed-in user unless it says `public=True` (the event registration pages): a new view cannot
be left open by forgetting a decorator. `post=True` takes POST only (405 otherwise). The app's urls.py is then `urlpatterns = views.page.urlpatterns` under its `app_name`: the route and the view
are read together, and a view without a route (or a route without a view) cannot be written. Routes are
matched in the order they are declared, so a more general route comes after the specific ones it would
shadow (tests/architecture/test_routes.py checks that each route reaches its own view).
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST


class Pages:
    """The page routes of one views module, in declaration order."""

    def __init__(self) -> None:
        self.urlpatterns: list[URLPattern] = []

    def __call__(self, route: str, name: str, *, post: bool = False, public: bool = False) -> Callable:
        """Decorate a view with its route (the outermost decorator); the function stays callable as written."""

        def register(view: Callable) -> Callable:
            self.add(route, view, name, post=post, public=public)
            return view

        return register

    def add(self, route: str, view: Callable, name: str, *, post: bool = False, public: bool = False) -> None:
        """A route to any view, also one that is not a function of this module (a class-based or generic view)."""
        routed = require_POST(view) if post else view
        self.urlpatterns.append(path(route, routed if public else login_required(routed), name=name))
