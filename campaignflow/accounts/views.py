"""Profile with preferences and API tokens (the login page is campaignflow.signin's)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaignflow.core.errors import DomainError

from . import services
from .forms import PreferencesForm, TokenForm


def set_language_cookie(response, language: str):
    """The user's saved language for the pages that follow (at log-in and when they change it)."""
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
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


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        token, raw = services.token_create(user=request.user, name=form.cleaned_data["name"])
        request.session["new_token"] = {"name": token.name, "raw": raw}
    else:
        messages.error(request, _("Give the token a name of at most 100 characters."))
    return redirect("profile")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    try:
        services.token_revoke(user=request.user, token_id=token_id)
        messages.success(request, _("The token is revoked."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("profile")
