"""Web UI of daily tracking: the board, the grid, uploads with a preview, batches with undo. Thin."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_user
from campaignflow.campaigns.read_cache import cached
from campaignflow.campaigns.views import campaign_page_context
from campaignflow.core.errors import InvalidInput
from campaignflow.core.form_views import act, submit
from campaignflow.core.forms import CellsForm, FileForm
from campaignflow.core.pages import Pages
from campaignflow.goals.selectors import channels as campaign_channels
from campaignflow.goals.selectors import kpis as campaign_kpis
from campaignflow.goals.selectors import shared_channel_names

from . import jobs, selectors, services
from .api import read_upload, with_write_progress
from .domain import charts
from .domain.parsers import FileRefused, ParseResult, Row, RowParser
from .models import BatchSource, ImportJob, MetricRow
from .row_errors import localized, refusal_text

page = Pages()

PENDING_DIR = Path(tempfile.gettempdir()) / "campaignflow-uploads"
PENDING_TTL = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")
GRID_MAX_DAYS = 120
PREVIEW_ROWS = 20


@page("campaigns/<int:pk>/board/", "board")
def board(request, pk: int):
    campaign = campaign_for_user(request.user, pk, VIEW)
    data = cached(campaign, request.user, "board", lambda: selectors.board(campaign, user=request.user), shared=True)
    charts_json = {f"gauge-{c['id']}": c["gauge"] for c in data["kpis"]}
    if data["cumulative"]:
        charts_json["cumulative"] = data["cumulative"]["option"]
    if data["trend"]:
        charts_json["trend"] = data["trend"]["option"]
    if data["funnel"]["option"]:
        charts_json["funnel"] = data["funnel"]["option"]
    context = campaign_page_context(request, campaign, "board", board=data, charts_json=charts_json)
    return render(request, "tracking/board.html", context)


# --- uploads -----------------------------------------------------------------------------------


def _pending_path(campaign, user, token: str) -> Path:
    return PENDING_DIR / f"{campaign.pk}-{user.pk}-{token}"


def _clean_pending() -> None:
    now = time.time()
    for path in PENDING_DIR.glob("*"):
        try:
            if now - path.stat().st_mtime > PENDING_TTL:
                path.unlink()
        except OSError:
            pass


def _data_context(request, campaign, **extra):
    return campaign_page_context(
        request,
        campaign,
        "data",
        batches=selectors.batches(campaign, request.user)[:100],
        channels=list(campaign_channels(campaign, request.user)),
        **extra,
    )


def _refused(exc: FileRefused) -> InvalidInput:
    """A file the parser refused, as the page shows it at the file field."""
    return InvalidInput({"file": refusal_text(exc)}, refusal_text(exc))


@dataclass(frozen=True)
class _Checked:
    """An uploaded file read and parsed, nothing written yet."""

    name: str
    content: bytes
    parsed: ParseResult


def _keep_pending(campaign, user, checked: _Checked) -> str:
    """Keep a file that parsed without errors until the user confirms it; the token that names it."""
    PENDING_DIR.mkdir(parents=True, exist_ok=True)
    _clean_pending()
    token = secrets.token_hex(16)
    path = _pending_path(campaign, user, token)
    path.write_bytes(checked.content)
    path.with_suffix(".name").write_text(checked.name[:255], encoding="utf-8")
    return token


def _job_of(request, campaign, job_id) -> ImportJob | None:
    try:
        job = lookups.job_for_user(request.user, int(job_id))
    except (TypeError, ValueError, Http404):
        return None
    return job if job.campaign_id == campaign.pk else None


@page("campaigns/<int:pk>/data/", "data")
def data(request, pk: int):
    """Upload a CSV/XLSX (preview first; large files go to the background worker with a progress
    bar), the batch list with undo, links to the grid."""
    campaign = campaign_for_user(request.user, pk, VIEW if request.method == "GET" else EDIT)
    if request.method == "GET":
        job = _job_of(request, campaign, request.GET.get("job")) if request.GET.get("job") else None
        return render(request, "tracking/data.html", _data_context(request, campaign, job=job))
    form = FileForm(request.POST, request.FILES)

    def check() -> ImportJob | _Checked:
        name, content = read_upload(form.cleaned_data["file"])  # none, empty (422) or too large (413)
        try:
            if services.runs_in_background(name, content):
                return jobs.import_job_create(actor=request.user, campaign=campaign, name=name, data=content)
            return _Checked(name, content, services.parse_upload(name, content))
        except FileRefused as exc:
            raise _refused(exc) from None

    result = submit(form, check, errors_on="file")
    if isinstance(result.value, ImportJob):
        return redirect(f"{reverse('tracking:data', args=[campaign.pk])}?job={result.value.pk}")
    checked, status = result.value, result.status
    parsed = checked.parsed if checked else None
    if parsed is not None:
        status = 200 if parsed.ok else 422
    context = _data_context(
        request,
        campaign,
        upload_form=form,
        parsed=parsed,
        preview=[Row._make(r) for r in parsed.rows[:PREVIEW_ROWS]] if parsed else [],
        token=_keep_pending(campaign, request.user, checked) if parsed and parsed.ok else "",
        filename=checked.name if checked else "",
    )
    return render(request, "tracking/data.html", context, status=status)


@page("campaigns/<int:pk>/data/jobs/<int:job_id>/", "job-progress")
def job_progress(request, pk: int, job_id: int):
    """The progress bar partial that the upload page polls every second until the job ends."""
    campaign = campaign_for_user(request.user, pk, VIEW)
    job = _job_of(request, campaign, job_id)
    if job is None:
        raise Http404
    return render(request, "tracking/_job.html", {"job": with_write_progress(job), "campaign": campaign})


@page("campaigns/<int:pk>/data/confirm/", "upload-confirm", post=True)
def upload_confirm(request, pk: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    token = request.POST.get("token", "")
    path = _pending_path(campaign, request.user, token) if TOKEN.match(token) else None
    if path is None or not path.exists():
        messages.error(request, _("The upload has expired or was already imported: upload the file again."))
        return redirect("tracking:data", campaign.pk)
    name_path = path.with_suffix(".name")
    name = name_path.read_text(encoding="utf-8") if name_path.exists() else ""

    def import_file():
        try:
            return services.metrics_import_file(
                actor=request.user, campaign=campaign, name=name, data=path.read_bytes()
            )
        except FileRefused as exc:
            raise _refused(exc) from None
        finally:  # imported or refused, the pending file is done with
            path.unlink(missing_ok=True)
            name_path.unlink(missing_ok=True)

    act(
        request,
        import_file,
        lambda batch: (
            _("Imported %(rows)s rows (%(created)s new, %(updated)s replaced).")
            % {"rows": batch.rows_total, "created": batch.created, "updated": batch.updated}
        ),
    )
    return redirect("tracking:data", campaign.pk)


@page("campaigns/<int:pk>/data/batches/<int:batch_id>/undo/", "batch-undo", post=True)
def batch_undo(request, pk: int, batch_id: int):
    campaign = campaign_for_user(request.user, pk, EDIT)
    batch = lookups.batch_for_user(request.user, batch_id, EDIT)
    if batch.campaign_id != campaign.pk:
        return redirect("tracking:data", campaign.pk)
    undone = _("Import #%(id)s undone.") % {"id": batch.pk}
    act(request, lambda: services.batch_undo(actor=request.user, batch=batch), undone)
    return redirect("tracking:data", campaign.pk)


# --- grid --------------------------------------------------------------------------------------


def _grid_dates(campaign) -> list[dt.date]:
    today = timezone.localdate()
    end = campaign.end_date if campaign.start_date > today else min(campaign.end_date, today)
    days = charts.dates_between(campaign.start_date, end)
    return days[-GRID_MAX_DAYS:]


@page("campaigns/<int:pk>/data/grid/", "grid")
def grid(request, pk: int):
    """Enter one channel's metrics by date; a block pasted from Excel/WPS fills the cells."""
    campaign = campaign_for_user(request.user, pk, VIEW if request.method == "GET" else EDIT)
    channel = (request.GET.get("channel") or request.POST.get("channel") or "").strip()[:100]
    # The grid opens on the channels the user is responsible for (their first one), with a switch to
    # all of them; someone responsible for none sees all.
    every = list(campaign_channels(campaign, request.user))
    mine = [c for c in every if c.owner_id == request.user.pk]
    if not channel and every:
        channel = (mine or every)[0].name
    show_all = not mine or request.GET.get("all") == "1" or channel not in {c.name for c in mine}
    shared = shared_channel_names(campaign, request.user)
    hidden = False
    if shared is not None and channel not in shared:  # a partner sees only the channels shared with them
        channel, hidden = (shared[0], False) if shared else ("", True)
    dates = _grid_dates(campaign)
    today = timezone.localdate()
    metrics = [
        m
        for m in dict.fromkeys(
            [k.metric for k in campaign_kpis(campaign) if k.metric]
            + selectors.metric_names(campaign)
            + [m.strip()[:100] for m in request.GET.get("add", "").split(",") if m.strip()]
        )
    ]
    if not metrics:
        metrics = ["曝光", "点击", "转化", "购买", "销售额"]
    stored = {
        (r.date, r.metric): r.value
        for r in MetricRow.objects.filter(
            campaign_id=campaign.pk, channel=channel, metric__in=metrics, date__in=dates
        ).only("date", "metric", "value")
    }
    if hidden:
        stored = {}
    form = CellsForm(request.POST or None)
    cells: dict = {}
    refused: set = set()  # the cells (row, column) a save refused: marked in the grid, the first one focused
    status = 200
    if request.method == "POST":
        metrics = [request.POST.get(f"m{i}", "").strip()[:100] for i in range(int(request.POST.get("cols") or 0))]
        cells = {
            (r, c): request.POST.get(f"c{r}_{c}", "").strip() for r in range(len(dates)) for c in range(len(metrics))
        }
        result = submit(
            form, lambda: _save_grid(request, campaign, channel, dates, metrics, cells, stored, refused=refused)
        )
        if result.saved:
            if result.value:
                messages.success(request, _("Saved %(n)s values.") % {"n": result.value})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(f"{request.path}?channel={channel}")
        status = result.status
    rows = []
    for r, day in enumerate(dates):
        values = []
        for c, metric in enumerate(metrics):
            if request.method == "POST":
                values.append({"value": cells.get((r, c), ""), "refused": (r, c) in refused})
            else:
                value = stored.get((day, metric))
                values.append({"value": "" if value is None else format(value.normalize(), "f"), "refused": False})
        rows.append({"r": r, "date": day, "values": values})
    context = campaign_page_context(
        request,
        campaign,
        "data",
        channel=channel,
        channels=every if show_all else mine,
        show_all=show_all,
        has_mine=bool(mine),
        metrics=list(enumerate(metrics)),
        rows=rows,
        today=today,
        opening_day=min(max(today, dates[0]), dates[-1]) if dates else None,  # today, or the nearest day
        grid_form=form,
    )
    return render(request, "tracking/grid.html", context, status=status)


def _save_grid(
    request, campaign, channel: str, dates, metrics: list[str], cells: dict, stored: dict, *, refused: set
) -> int:
    """Write the grid's changed cells as one import; the number of values changed. A cell that is no
    number is refused by its date and metric (and added to `refused`), and nothing is written."""
    result = ParseResult()
    parser = RowParser(result)
    index = 0
    for r, day in enumerate(dates):
        for c, metric in enumerate(metrics):
            raw = cells[(r, c)]
            if raw and metric:
                parser.add(index, day, channel, metric, raw)
                if result.error_count and result.errors[-1]["row"] == index:
                    result.errors[-1]["cell"] = f"{day.isoformat()} · {metric}"
                    refused.add((r, c))
                index += 1
    if not result.ok:
        errors = localized(result.errors)
        raise InvalidInput(
            [{"field": f"cells[{i}]", "message": f"{e.get('cell', '')}: {e['message']}"} for i, e in enumerate(errors)]
        )
    current = {(d.isoformat(), channel, m): v for (d, m), v in stored.items()}
    changes = services.grid_changes(current, result.rows)
    if changes:
        services.metrics_ingest(
            actor=request.user,
            campaign=campaign,
            parsed=ParseResult(rows=changes),
            source=BatchSource.GRID,
            filename=channel,
        )
    return len(changes)
