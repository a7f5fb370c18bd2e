"""What a notification says, in the language of whoever reads it.

A notification (and each queued e-mail, chat app message and robot message) keeps a message key and its
params (plain JSON values) beside the title and body it was first written with. The inbox, the API and the
delivery log say it again in the reader's language from the key; an e-mail or a chat app message is said in its
recipient's language when it is sent (`localize`), a robot's in the site's. A row without a key (written before
keys existed) or whose params cannot be said any more shows its stored title and body.

A param may be typed, so that it is written the way the reader's language writes it: `money(x)` (¥8万 /
¥80,000.00, like the `money` template filter) and `listed(names)` (抖音、小红书 / 抖音, 小红书). Texts whose
words need an app above this one (an alert's message) are registered by that app from its AppConfig.ready():
`register("alert", render)`, `render(params) -> (title, body or None)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, override, pgettext

from campaignflow.core.domain.numbers import format_money

# (title, body); a body of None: the stored body is shown (text people typed: an expense's note, a report).
Rendered = tuple[str, str | None]
Renderer = Callable[[dict], Rendered]

# What rendering stored params raises when they no longer fit their text (renamed keys, other types): the stored
# text is shown instead. alerts.messages reads alerts' figures by the same rule.
CANNOT_SAY = (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError)


def money(value) -> dict:
    """An amount the reader sees in their language's money format."""
    return {"money": str(value)}


def listed(items) -> dict:
    """Names joined with the reader's list separator."""
    return {"list": [str(item) for item in items]}


def _said(value):
    if isinstance(value, dict):
        if "money" in value:
            return format_money(Decimal(value["money"]), get_language() or settings.LANGUAGE_CODE)
        if "list" in value:
            return pgettext("list separator", ", ").join(value["list"])
    return value


@dataclass(frozen=True)
class Template:
    """A title (and a body) with %(name)s params, translated when said."""

    title: Promise | str
    body: Promise | str | None = None

    def __call__(self, params: dict) -> Rendered:
        values = {name: _said(value) for name, value in params.items()}
        return str(self.title) % values, (str(self.body) % values if self.body is not None else None)


_ = gettext_lazy
TEXTS: dict[str, Renderer] = {
    # budgets.approval_requests
    "approval.expense_held": Template(_("Overrun waiting for your approval: %(payee)s %(amount)s")),
    "approval.expense_corrected": Template(_("Corrected expense waiting for your approval: %(payee)s %(amount)s")),
    "approval.budget": Template(_("Budget waiting for your approval: %(campaign)s")),
    # chatcards.reminder
    "numbers.missing": Template(
        _("Today's numbers are missing: %(channels)s"), _("Please enter today's numbers for %(campaign)s.")
    ),
    # tracking.services (a large import's job)
    "import.done": Template(
        _("Import of %(file)s finished: %(rows)s rows"),
        _("Imported %(rows)s rows (%(created)s new, %(updated)s replaced)."),
    ),
    "import.invalid_rows": Template(
        _("Import of %(file)s failed: nothing was written"), _("%(count)s invalid row value(s); nothing was written.")
    ),
    "import.finished": Template(_("Import of %(file)s finished: %(rows)s rows")),
    "import.failed": Template(_("Import of %(file)s failed: nothing was written")),
    # execution.services (a weekly report sent to the team)
    "report.shared": Template(_("%(campaign)s weekly report %(start)s ~ %(end)s")),
    # notifications.services (a robot's test message)
    "webhook.test": Template(_("CampaignFlow test message"), _("If you can read this, the robot is set up.")),
}
del _


def register(key: str, renderer: Renderer) -> None:
    TEXTS[key] = renderer


def render(key: str, params) -> Rendered | None:
    """(title, body or None) in the active language; None when the key is unknown or its params cannot be said."""
    renderer = TEXTS.get(key) if key else None
    if renderer is None or not isinstance(params, dict):
        return None
    try:
        title, body = renderer(params)
    except CANNOT_SAY:
        return None
    return str(title)[:200], None if body is None else str(body)


def first_written(key: str, params: dict) -> Rendered | None:
    """The text a new row stores (in the site's language): what is shown when the key cannot be said."""
    with override(settings.LANGUAGE_CODE):
        return render(key, params)


class SaidText:
    """`shown_title` / `shown_body` of a row with `title`, `body`, `message_key` and `message_params`."""

    def _rendered(self) -> Rendered | None:
        return render(self.message_key, self.message_params) if self.message_key else None

    @property
    def shown_title(self) -> str:
        rendered = self._rendered()
        return rendered[0] if rendered else self.title

    @property
    def shown_body(self) -> str:
        rendered = self._rendered()
        return rendered[1] if rendered and rendered[1] is not None else self.body


def person_language(user) -> str:
    """The language a person reads messages in: their own, else the site's (nobody: the site's)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def recipient_language(delivery) -> str:
    """An e-mail or a chat app message: its recipient's own language; a robot's message: the site's."""
    return person_language(delivery.recipient if delivery.recipient_id else None)


def localize(delivery) -> None:
    """Before sending: the delivery's title and body said in its reader's language (kept in the log as sent)."""
    if not delivery.message_key:
        return
    with override(recipient_language(delivery)):
        rendered = render(delivery.message_key, delivery.message_params)
    if rendered is None:
        return
    delivery.title = rendered[0]
    if rendered[1] is not None:
        delivery.body = rendered[1]
