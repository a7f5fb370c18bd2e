"""The settlement statement as a PDF or XLSX download, served alike by the API and the settlement page."""

from django.http import HttpResponse

from campaignflow.core.downloads import PDF, XLSX, download
from campaignflow.reports.pdf import settlement_report

from . import selectors
from .xlsx import settlement_xlsx


def settlement_pdf_response(user, campaign) -> HttpResponse:
    """The statement in the reader's language; a partner gets their own company's (403 when it does not
    take part). The caller has checked that `user` may view `campaign`."""
    party = selectors.statement_party(user, campaign)
    data, contacts = selectors.settlement_statement(campaign), selectors.settlement_contacts(campaign)
    body = settlement_report(campaign, data, contacts, party=party)
    return download(body, filename=f"settlement-{campaign.pk}.pdf", content_type=PDF, inline=True)


def settlement_xlsx_response(campaign) -> HttpResponse:
    """The statement as a workbook for the team (the caller has checked the view right)."""
    body = settlement_xlsx(campaign, selectors.settlement_statement(campaign))
    return download(body, filename=f"settlement-{campaign.pk}.xlsx", content_type=XLSX)
