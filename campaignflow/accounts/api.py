"""REST endpoints: users (admins create them), the caller's profile and API tokens."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from campaignflow.campaigns.access import require_team_user
from campaignflow.core.api_types import InputSchema, PathId
from campaignflow.core.errors import Forbidden

from . import services
from .models import User

router = Router(tags=["accounts"])


class UserIn(InputSchema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=128)
    display_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    role: str = Field("member", max_length=20)


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str | None = None
    role: str | None = Field(None, description="global role")
    is_active: bool


class TokenIn(InputSchema):
    name: str = Field("API", min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    token: str


def user_out(u: User) -> dict:
    return {
        "id": u.id,
        "username": u.username,
        "display_name": u.display_name,
        "email": u.email,
        "role": u.role,
        "is_active": u.is_active,
    }


@router.post("/users", response={201: UserOut})
def create_user(request, payload: UserIn):
    if not request.user.is_admin:
        raise Forbidden(_("Only administrators can create users."))
    user = services.user_create(actor=request.user, **payload.dict())
    return Status(201, user_out(user))


@router.get("/users", response=list[UserOut])
def list_users(request, q: str = Query("", max_length=100)):
    """Active users, for choosing members and owners: the team's directory. A partner user may not read it
    (403); they see the people of the campaigns shared with them where those pages show them."""
    require_team_user(request.user)
    qs = User.objects.filter(is_active=True).order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return [user_out(u) for u in qs[:200]]


@router.get("/me", response=UserOut)
def me(request):
    return user_out(request.user)


@router.get("/me/tokens", response=list[TokenOut])
def list_tokens(request):
    return list(request.user.api_tokens.all())


@router.post("/me/tokens", response={201: NewTokenOut})
def create_token(request, payload: TokenIn):
    token, raw = services.token_create(user=request.user, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete("/me/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: PathId):
    services.token_revoke(user=request.user, token_id=token_id)
    return Status(204, None)
