"""Profile with preferences and API tokens (the login page is campaignflow.signin's)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaignflow.core.errors import DomainError
from campaignflow.core.form_views import refusal_text
from campaignflow.core.pages import Pages

from . import services
from .forms import PreferencesForm, TokenForm

page = Pages()


class LogoutView(auth_views.LogoutView):
    """Log out, and have the browser drop what this site kept on the device (ADR 0017): its HTTP cache and its
    storage (the service worker's caches, offline queue and drafts), so that the next person on a shared phone
    finds nothing of the previous one. Cookies are left alone: the log-in page that follows needs its CSRF cookie."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


page.add("logout/", LogoutView.as_view(), "logout", public=True)


def set_language_cookie(response, language: str):
    """The user's saved language for the pages that follow (at log-in and when they change it)."""
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@page("profile/", "profile")
def profile(request):
    user = request.user
    new_token = request.session.pop("new_token", None)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.user_update_preferences(
                user=user,
                display_name=data["display_name"],
                email=data["email"],
                language=data["language"],
                timezone_name=data["timezone"],
            )
            messages.success(request, _("Your preferences are saved."))
            return set_language_cookie(redirect("profile"), data["language"])
    else:
        form = PreferencesForm(
            initial={
                "display_name": user.display_name,
                "email": user.email,
                "language": user.language,
                "timezone": user.timezone,
            }
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "token_form": TokenForm(),
            "tokens": user.api_tokens.all(),
            "new_token": new_token,
        },
    )


@page("profile/tokens/", "token-create", post=True)
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        token, raw = services.token_create(user=request.user, name=form.cleaned_data["name"])
        request.session["new_token"] = {"name": token.name, "raw": raw}
    else:
        messages.error(request, _("Give the token a name of at most 100 characters."))
    return redirect("profile")


@page("profile/tokens/<int:token_id>/revoke/", "token-revoke", post=True)
def token_revoke(request, token_id: int):
    try:
        services.token_revoke(user=request.user, token_id=token_id)
        messages.success(request, _("The token is revoked."))
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    return redirect("profile")
