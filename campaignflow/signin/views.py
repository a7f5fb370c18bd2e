"""The login page: the configured sign-in methods (buttons for those that leave the site, the form for local and
directory passwords), `next` only to this site's own paths."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth import views as auth_views
from django.urls import reverse
from django.utils.module_loading import import_string

from campaignflow.accounts.views import set_language_cookie
from campaignflow.core.pages import Pages

from . import audit, methods, sso_views
from .backends import failures
from .domain.next_url import safe_next
from .forms import SignInForm


def page_layout(configured: list[methods.Method]) -> dict:
    """What the login page shows besides the username/password form (always there: the break-glass administrator
    needs it): `buttons` (methods that leave the site), `single_button` (one of them, nothing else for most people:
    one big button), `form_collapsed` (the form is only for the administrator: folded under "管理员登录"),
    `directory` (the form takes the company directory's password)."""
    buttons = [m for m in configured if not m.is_form]
    directory = any(m.kind == "ldap" for m in configured)
    admins_only = methods.password_login_mode() == "admins"
    return {
        "buttons": buttons,
        "single_button": len(buttons) == 1 and not directory and admins_only,
        "form_collapsed": bool(buttons) and not directory and admins_only,
        "directory": directory,
        "admins_only": admins_only,
    }


class LoginView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # Django's check allows any URL of an allowed host; we allow only this site's paths.
        return safe_next(super().get_redirect_url()) or ""

    def get(self, request, *args, **kwargs):
        # A link opened inside DingTalk / Feishu / WeCom signs the person in with the app (免登), once per session.
        if not request.user.is_authenticated:
            in_app = sso_views.in_app_redirect(request)
            if in_app is not None:
                return in_app
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        configured = methods.configured()
        in_app = sso_views.in_app_platform(self.request)
        if in_app is not None:  # inside the app its button signs in there, not through a QR code
            configured = [
                replace(m, login_url=reverse("signin:in-app")) if m.id == in_app.id else m for m in configured
            ]
        context.update(page_layout(configured))
        return context

    def form_valid(self, form):
        user = form.get_user()
        response = super().form_valid(form)
        method_id = getattr(import_string(user.backend), "method_id", "password")
        audit.signed_in(self.request, user, method_id)
        return set_language_cookie(response, user.language)

    def form_invalid(self, form):
        username = (self.request.POST.get("username") or "").strip()
        if username:
            noted = failures(self.request)
            reasons = [f"{f.method}:{f.reason}" for f in noted] or ["password:bad_credentials"]
            if getattr(self.request, "axes_locked_out", False):
                reasons.append("axes:locked_out")
            audit.sign_in_failed(
                self.request,
                method_id=",".join(dict.fromkeys(f.method for f in noted)) or "password",
                reason=",".join(reasons),
                username=username,
            )
        return super().form_invalid(form)


page = Pages()
page.add("login/", LoginView.as_view(), "login", public=True)
