"""Materials pages (物料): the campaign's list, and a material's revisions, preview with region comments,
review, acceptance (验收) and leftovers. Thin: the services decide, the forms collect what was typed."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user, can, role_in
from campaignflow.campaigns.models import MemberRole
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import Forbidden, InvalidInput
from campaignflow.core.form_views import act, posted_version, submit
from campaignflow.core.pages import Pages
from campaignflow.core.uploads import digest_of

from . import selectors, services
from .domain import workflow
from .forms import (
    ACCEPTED_FILES,
    AcceptForm,
    CommentForm,
    LeftoverForm,
    MaterialForm,
    ReviewForm,
    UploadForm,
    material_initial,
)
from .models import Material, MaterialStatus

page = Pages()

TAB = "materials"


# --- who may do what on a material ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rights:
    edit: bool  # the list's fields, files, submit, acceptance, leftovers
    comment: bool  # the team's editors, and the partner on what is shared with them
    review_side: str | None  # "host" / "partner": the side this reader approves for; None: no review


def _rights(user, material: Material) -> Rights:
    campaign = material.campaign
    partner = role_in(user, campaign) == MemberRole.PARTNER
    try:
        side = services.reviewer_side(user, material)
    except Forbidden:
        side = None
    return Rights(edit=can(user, campaign, EDIT), comment=can(user, campaign, EDIT) or partner, review_side=side)


def _material(request, pk: int, material_id: int, need: str = VIEW) -> Material:
    """The material by id, through its campaign's rules, and only under its own campaign's path."""
    material = lookups.material_for_user(request.user, material_id, need)
    if material.campaign_id != pk:
        raise Http404
    return material


def _detail_url(material: Material, revision: int | None = None) -> str:
    url = reverse("materials:detail", args=[material.campaign_id, material.pk])
    return f"{url}?rev={revision}" if revision and revision != material.revision else url


# --- the list -----------------------------------------------------------------------------------------------


def _rows(user, campaign, status: str | None, page_number):
    """One page (100 materials) of the list, each with whether it is late and whose review it waits for."""
    today = timezone.localdate()
    materials = selectors.materials_for(user, campaign)
    if status:
        materials = materials.filter(status=status)
    page = Paginator(materials, 100).get_page(page_number)
    materials = list(page.object_list)
    history = selectors.reviews_by_material(m for m in materials if m.status == workflow.IN_REVIEW)
    page.object_list = [
        {
            "material": m,
            "late": workflow.is_late(m.status, m.due_date, today),
            "waiting_for": selectors.waiting_for(m, history.get(m.pk, [])),
        }
        for m in materials
    ]
    return page


def _list_page(request, campaign, *, add_form=None, status=422):
    wanted = request.GET.get("status") or None
    if wanted not in MaterialStatus.values:
        wanted = None
    partner_view = role_in(request.user, campaign) == MemberRole.PARTNER
    context = campaign_page_context(
        request,
        campaign,
        TAB,
        rows=_rows(request.user, campaign, wanted, request.GET.get("page")),
        statuses=MaterialStatus.choices,
        status_filter=wanted,
        partner_view=partner_view,
        add_form=add_form or MaterialForm(campaign=campaign),
    )
    return render(request, "materials/list.html", context, status=status if add_form is not None else 200)


@page("campaigns/<int:pk>/materials/", "list")
def material_list(request, pk: int):
    """The materials list; its add form posts here."""
    if request.method != "POST":
        return _list_page(request, campaign_for_user(request.user, pk, VIEW))
    campaign = campaign_for_user(request.user, pk, EDIT)
    form = MaterialForm(request.POST, campaign=campaign)
    result = submit(
        form, lambda: services.material_create(actor=request.user, campaign=campaign, data=form.data_for_service())
    )
    if result.saved:
        messages.success(request, _("%(code)s added.") % {"code": result.value.code})
        return redirect("materials:list", pk)
    return _list_page(request, campaign, add_form=form)


@page("campaigns/<int:pk>/materials/<int:material_id>/edit/", "edit")
def material_edit(request, pk: int, material_id: int):
    """Edit a material's fields: inline in the list (htmx asks for the row's form) or as a page of its own."""
    material = _material(request, pk, material_id, EDIT)
    campaign = material.campaign
    posted = request.method == "POST"
    form = MaterialForm(
        request.POST if posted else None, campaign=campaign, current=material, initial=material_initial(material)
    )
    conflict = ""
    if posted:
        result = submit(
            form,
            lambda: services.material_update(
                actor=request.user, material=material, version=posted_version(request), data=form.data_for_service()
            ),
        )
        if result.saved:
            messages.success(request, _("%(code)s saved.") % {"code": material.code})
            return redirect("materials:list", pk)
        conflict = result.conflict
    context = campaign_page_context(request, campaign, TAB, material=material, form=form, conflict=conflict)
    if request.htmx and not posted:
        return render(request, "materials/_edit_row.html", context)
    return render(request, "materials/edit.html", context, status=422 if posted else 200)


@page("campaigns/<int:pk>/materials/<int:material_id>/delete/", "delete", post=True)
def material_delete(request, pk: int, material_id: int):
    _button(request, pk, material_id, services.material_delete, lambda m: _("%(code)s deleted.") % {"code": m.code})
    return redirect("materials:list", pk)


def _button(request, pk: int, material_id: int, service, success) -> Material:
    """A button on a material (a form of just its version): `service` with the posted version; the message
    `success(material)` once done, the refusal as a message otherwise (`act`, ADR 0006)."""
    material = _material(request, pk, material_id, EDIT)
    version = posted_version(request)
    act(request, lambda: service(actor=request.user, material=material, version=version), success(material))
    return material


# --- one material -------------------------------------------------------------------------------------------


def _shown_revision(request, material: Material, files: list) -> object:
    """The revision the page shows: `?rev=N` when it exists, else the current one."""
    wanted = request.GET.get("rev") or ""
    by_revision = {f.revision: f for f in files}
    if wanted.isdigit() and int(wanted) in by_revision:
        return by_revision[int(wanted)]
    return by_revision.get(material.revision)


def _threads(material: Material, file) -> list[dict]:
    """The shown revision's comments: pinned ones numbered in order, each with its replies."""
    if file is None:
        return []
    comments = list(selectors.comments(material, file.revision))
    replies: dict[int, list] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    threads, number = [], 0
    for c in comments:
        if c.parent_id:
            continue
        pinned = c.x is not None
        number += pinned
        threads.append(
            {
                "comment": c,
                "number": number if pinned else None,
                "box": _box_style(c) if pinned else "",
                "replies": replies.get(c.pk, []),
            }
        )
    return threads


def _box_style(comment) -> str:
    """Where a pinned box sits on the preview, as fractions of it (left, top, width, height in %)."""
    edges = zip(("left", "top", "width", "height"), (comment.x, comment.y, comment.w, comment.h), strict=True)
    return ";".join(f"{edge}:{value * 100:.3f}%" for edge, value in edges)


def _detail_page(request, material: Material, *, forms: dict | None = None, conflict: str = "", status: int = 200):
    rights = _rights(request.user, material)
    files = list(selectors.files(material))
    shown = _shown_revision(request, material, files)
    forms = forms or {}
    version = {"version": material.version}
    context = campaign_page_context(
        request,
        material.campaign,
        TAB,
        material=material,
        rights=rights,
        partner_view=role_in(request.user, material.campaign) == MemberRole.PARTNER,
        files=files,
        shown=shown,
        threads=_threads(material, shown),
        history=list(selectors.reviews(material)),
        waiting_for=selectors.waiting_for(material),
        late=workflow.is_late(material.status, material.due_date, timezone.localdate()),
        accepted_files=ACCEPTED_FILES,
        upload_limit_mb=settings.MATERIAL_UPLOAD_MAX_BYTES // 2**20,
        upload_form=forms.get("upload") or UploadForm(),
        comment_form=forms.get("comment") or CommentForm(initial={"revision": shown.revision if shown else None}),
        review_form=forms.get("review") or ReviewForm(initial=version),
        accept_form=forms.get("accept") or AcceptForm(initial={**version, "received_quantity": material.quantity}),
        leftover_form=forms.get("leftovers") or LeftoverForm(initial={**version, **_leftover_initial(material)}),
        posted=next(iter(forms), ""),  # the form whose refusal the page shows, even where it is not offered now
        conflict=conflict,
    )
    return render(request, "materials/detail.html", context, status=status)


def _leftover_initial(material: Material) -> dict:
    return {
        k: getattr(material, k) for k in ("leftover_quantity", "leftover_action", "leftover_place", "leftover_note")
    }


def _posted(request, material: Material, key: str, form, save, success, **options):
    """A form of the material's page, posted: once saved, `success` (a text, or made from the answer) and back
    to the page; refused, the page again with this form showing why (`submit`, ADR 0006)."""
    result = submit(form, save, **options)
    if result.saved:
        messages.success(request, success(result.value) if callable(success) else success)
        return redirect(_detail_url(material))
    return _detail_page(request, material, forms={key: form}, conflict=result.conflict, status=422)


@page("campaigns/<int:pk>/materials/<int:material_id>/", "detail")
def material_detail(request, pk: int, material_id: int):
    return _detail_page(request, _material(request, pk, material_id))


@page("campaigns/<int:pk>/materials/<int:material_id>/preview/", "preview")
def material_preview(request, pk: int, material_id: int):
    """The preview box of one revision (htmx polls it while the preview is being made)."""
    material = _material(request, pk, material_id)
    files = list(selectors.files(material))
    shown = _shown_revision(request, material, files)
    context = {
        "material": material,
        "shown": shown,
        "threads": _threads(material, shown),
        "rights": _rights(request.user, material),
        "campaign": material.campaign,
    }
    return render(request, "materials/_preview.html", context)


@page("campaigns/<int:pk>/materials/<int:material_id>/compare/", "compare")
def material_compare(request, pk: int, material_id: int):
    """Revision N beside N-1 (N: `?rev=`, the current one by default)."""
    material = _material(request, pk, material_id)
    files = list(selectors.files(material))
    shown = _shown_revision(request, material, files)
    before = next((f for f in files if shown and f.revision == shown.revision - 1), None)
    context = campaign_page_context(request, material.campaign, TAB, material=material, shown=shown, before=before)
    return render(request, "materials/compare.html", context)


# the upload middleware streams and hashes this route's files (core.uploads._LARGE_FILE_ROUTES)
@page("campaigns/<int:pk>/materials/<int:material_id>/files/", "upload", post=True)
def file_upload(request, pk: int, material_id: int):
    """A new revision. The upload middleware has hashed the file while it streamed to disk (`digest_of`) and
    marks a body past the limit (`upload_too_large`); the service checks the bytes and stores them."""
    material = _material(request, pk, material_id, EDIT)
    form = UploadForm(request.POST, request.FILES)

    def save():
        upload = form.cleaned_data["file"]
        if getattr(request, "upload_too_large", False):
            limit = settings.MATERIAL_UPLOAD_MAX_BYTES // 2**20
            raise InvalidInput({"file": _("The file is larger than the %(n)d MB limit.") % {"n": limit}})
        if upload is None:
            raise InvalidInput({"file": _("Choose a file to upload.")})
        return services.file_upload(
            actor=request.user, material=material, upload=upload, digest=digest_of(request, "file")
        )

    return _posted(request, material, "upload", form, save, _uploaded, errors_on="file")


def _uploaded(file) -> str:
    return _("Revision %(n)d uploaded.") % {"n": file.revision}


def _decided(material: Material) -> str:
    return _("Your decision is recorded: %(status)s.") % {"status": material.get_status_display()}


@page("campaigns/<int:pk>/materials/<int:material_id>/submit/", "submit", post=True)
def material_submit(request, pk: int, material_id: int):
    material = _button(request, pk, material_id, services.material_submit, lambda _m: _("Submitted for review."))
    return redirect(_detail_url(material))


@page("campaigns/<int:pk>/materials/<int:material_id>/review/", "review", post=True)
def material_review(request, pk: int, material_id: int):
    """Approve or request changes, for the side the reader reviews for (else 403)."""
    material = _material(request, pk, material_id)
    if _rights(request.user, material).review_side is None:
        raise Forbidden(_("Only the campaign's owner or managers, and for co-branded material the partner, review it."))
    form = ReviewForm(request.POST)

    def save():
        data = {**form.cleaned_data, "decision": request.POST.get("decision"), "version": posted_version(request)}
        return services.material_review(actor=request.user, material=material, data=data)

    return _posted(request, material, "review", form, save, _decided)


@page("campaigns/<int:pk>/materials/<int:material_id>/accept/", "accept", post=True)
def material_accept(request, pk: int, material_id: int):
    """验收: the approved material arrived, in the quantity received."""
    material = _material(request, pk, material_id, EDIT)
    form = AcceptForm(request.POST)

    def save():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}  # no quantity: the ordered one
        return services.material_accept(
            actor=request.user, material=material, data={**data, "version": posted_version(request)}
        )

    return _posted(request, material, "accept", form, save, _("%(code)s accepted.") % {"code": material.code})


@page("campaigns/<int:pk>/materials/<int:material_id>/leftovers/", "leftovers", post=True)
def material_leftovers(request, pk: int, material_id: int):
    """After acceptance: what is left, and whether it went to stock or was scrapped."""
    material = _material(request, pk, material_id, EDIT)
    form = LeftoverForm(request.POST)

    def save():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return services.material_update(
            actor=request.user, material=material, version=posted_version(request), data=data
        )

    return _posted(request, material, "leftovers", form, save, _("Leftovers recorded."))


# --- comments -----------------------------------------------------------------------------------------------


@page("campaigns/<int:pk>/materials/<int:material_id>/comments/", "comment", post=True)
def comment_create(request, pk: int, material_id: int):
    """A comment on a revision, pinned to a box on its preview when x, y, w, h are sent; or a reply."""
    material = _material(request, pk, material_id)
    if not _rights(request.user, material).comment:
        raise Forbidden(_("Your role in this campaign does not allow this."))
    form = CommentForm(request.POST)
    result = submit(
        form, lambda: services.comment_create(actor=request.user, material=material, data=form.cleaned_data)
    )
    if result.saved:
        messages.success(request, _("Comment saved."))
        revision = result.value.file.revision if result.value.file_id else None
        return redirect(f"{_detail_url(material, revision)}#comment-{result.value.parent_id or result.value.pk}")
    return _detail_page(request, material, forms={"comment": form}, status=422)


@page(
    "campaigns/<int:pk>/materials/<int:material_id>/comments/<int:material_comment_id>/", "comment-resolve", post=True
)
def comment_resolve(request, pk: int, material_id: int, material_comment_id: int):
    """Resolve a thread, or reopen it (`resolved` = 0)."""
    comment = lookups.material_comment_for_user(request.user, material_comment_id)
    material = comment.material
    if material.pk != material_id or material.campaign_id != pk:
        raise Http404
    if not _rights(request.user, material).comment:
        raise Forbidden(_("Your role in this campaign does not allow this."))
    resolved = request.POST.get("resolved", "1") == "1"
    version = posted_version(request)
    act(
        request,
        lambda: services.comment_update(
            actor=request.user, comment=comment, version=version, data={"resolved": resolved}
        ),
        _("Comment resolved.") if resolved else _("Comment reopened."),
    )
    revision = comment.file.revision if comment.file_id else None
    return redirect(f"{_detail_url(material, revision)}#comment-{comment.pk}")
