"""The settlement statement as a PDF download, served alike by the API and the settlement page."""

from django.http import HttpResponse

from campaignflow.reports.pdf import settlement_report

from . import selectors


def settlement_pdf_response(user, campaign) -> HttpResponse:
    """The statement in the reader's language; a partner gets their own company's (403 when it does not
    take part). The caller has checked that `user` may view `campaign`."""
    party = selectors.statement_party(user, campaign)
    data, contacts = selectors.settlement_statement(campaign), selectors.settlement_contacts(campaign)
    response = HttpResponse(settlement_report(campaign, data, contacts, party=party), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="settlement-{campaign.pk}.pdf"'
    return response
