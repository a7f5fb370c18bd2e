"""`GET /api/v1/auth/methods`: the sign-in methods the login page offers (no log-in needed)."""

from ninja import Router, Schema
from pydantic import Field

from . import methods

router = Router(tags=["sign-in"])


class MethodOut(Schema):
    id: str
    kind: str = Field(..., description="password, oidc, ldap, dingtalk, feishu or wecom")
    name: str = Field(..., description="the label the login page shows, in the request's language")
    login_url: str = Field(..., description="where the method's button goes (password and ldap: the login page)")


@router.get("/auth/methods", response=list[MethodOut], auth=None)
def list_methods(request):
    """The configured sign-in methods, in the login page's order (Chinese chat apps first, local password last)."""
    return [m.as_json() for m in methods.configured()]
