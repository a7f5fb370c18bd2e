"""Document endpoints: the seeds' workbook (XLSX), PDF reports, CSV lists. Internal documents:
partners get 403 (they see what is shared with them on the pages instead)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import StreamingHttpResponse
from ninja import Query, Router
from pydantic import Field

from campaignflow.campaigns.access import VIEW
from campaignflow.core.api_types import InputSchema, PathId
from campaignflow.core.downloads import CSV, PDF, download
from campaignflow.review.access import campaign_for_review

from . import csvs, pdf
from .collect import campaign_sheets
from .xlsx import workbook_response

router = Router(tags=["reports"])


@router.get("/campaigns/{campaign_id}/export.xlsx")
def export_xlsx(request, campaign_id: PathId):
    """One workbook with the seeds' tables as sheets (Chinese headers), plus every metric row."""
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    return workbook_response(campaign_sheets(campaign, request.user), f"campaign-{campaign.pk}.xlsx")


class ReportQuery(InputSchema):
    kind: Literal["weekly", "evaluation"] = Field("evaluation")
    week_start: dt.date | None = Field(None, description="kind=weekly: the week's report (default: the latest)")


@router.get("/campaigns/{campaign_id}/report.pdf")
def report_pdf(request, campaign_id: PathId, query: Query[ReportQuery]):
    """kind=weekly: the weekly report of `week_start`'s week (default: the latest) with the week's KPI
    figures against last week and their trend; kind=evaluation: evaluation, attribution, ROI,
    retrospective."""
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    if query.kind == "weekly":
        body = pdf.weekly_report(campaign, week_start=query.week_start)
    else:
        body = pdf.evaluation_report(campaign)
    return download(body, filename=f"{query.kind}-{campaign.pk}.pdf", content_type=PDF, inline=True)


def _csv(lines, name: str) -> StreamingHttpResponse:
    return download(lines, filename=name, content_type=CSV)


@router.get("/campaigns/{campaign_id}/tasks.csv")
def tasks_csv(request, campaign_id: PathId):
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    return _csv(csvs.csv_lines(csvs.task_header(), csvs.tasks_rows(campaign)), f"tasks-{campaign.pk}.csv")


@router.get("/campaigns/{campaign_id}/metrics.csv")
def metrics_csv(request, campaign_id: PathId):
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    return _csv(csvs.csv_lines(csvs.metric_header(), csvs.metric_rows(campaign)), f"metrics-{campaign.pk}.csv")


@router.get("/campaigns/{campaign_id}/expenses.csv")
def expenses_csv(request, campaign_id: PathId):
    campaign = campaign_for_review(request.user, campaign_id, VIEW)
    return _csv(
        csvs.csv_lines(csvs.expense_header(), csvs.expense_rows(request.user, campaign)), f"expenses-{campaign.pk}.csv"
    )
