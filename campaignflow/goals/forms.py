"""Web forms of the goals pages: they collect the typed text; the services parse it ("30万", "35%") and
decide, so every field is optional text here and the service's messages show on the fields."""

from django import forms

KPI_FIELDS = (
    "name",
    "metric",
    "numerator",
    "denominator",
    "channel",
    "unit",
    "target",
    "priority",
    "direction",
    "owner",
    "specific",
    "measurable",
    "achievable",
    "relevant",
    "deadline",
    "shared_with_partners",
)
CHANNEL_FIELDS = ("name", "content_form", "start_date", "end_date", "owner", "note", "shared_with_partners")
METRIC_MAPS = ("targets", "benchmarks")  # typed as "曝光=50万; 点击率=2.5%"


class TextForm(forms.Form):
    def posted(self) -> dict:
        """The cleaned text of the fields the page sent (a field it did not send stays as it is)."""
        return {name: value for name, value in self.cleaned_data.items() if name in self.data}


def text_form(name: str, fields: tuple[str, ...]) -> type[TextForm]:
    """A form of optional text fields (spaces around stripped)."""
    return type(name, (TextForm,), {field: forms.CharField(required=False) for field in fields})


KpiForm = text_form("KpiForm", KPI_FIELDS)
ChannelForm = text_form("ChannelForm", CHANNEL_FIELDS + METRIC_MAPS)
PlanForm = text_form("PlanForm", ("granularity", "action"))  # the values v_<key> and weights w_<key> per period
