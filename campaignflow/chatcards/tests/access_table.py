"""The chat cards in the access matrices: no API endpoints (ROWS is empty); the UI table's action page
(/chat/act/<token>/) works on a group robot's approve button for the held overrun (no recipient: whoever may see the
expense opens it, the service decides who may approve)."""

from campaignflow.budgets.models import Expense
from campaignflow.chatcards import services
from campaignflow.chatcards.actions import ACTIONS

ROWS: list = []


def setup(ctx):
    expense = Expense.objects.get(pk=ctx["held_id"])
    ctx["token"] = services.issue(
        card=services.new_card_id(), action=ACTIONS["expense.approve"], target=expense, recipient=None, platform=""
    )
