"""A refusal a button's service gives shows as words (core.form_views.refusal_text): an InvalidInput's field
by its label, or its message alone, never the field's code; the API's 422 keeps the codes."""

from django.utils import translation

from campaignflow.core.errors import Conflict, InvalidInput
from campaignflow.core.form_views import refusal_text


def test_an_invalid_field_is_named_by_its_label_not_its_code():
    exc = InvalidInput({"evaluation": "请填写评估：原因和措施。"})
    with translation.override("zh-hans"):
        assert refusal_text(exc) == "评估：请填写评估：原因和措施。"
    with translation.override("en"):
        assert refusal_text(exc) == "Evaluation: 请填写评估：原因和措施。"
    assert exc.detail == "evaluation: 请填写评估：原因和措施。"  # the API's detail keeps the code
    assert exc.payload()["errors"] == [{"field": "evaluation", "message": "请填写评估：原因和措施。"}]


def test_a_field_without_words_leaves_the_message_alone():
    exc = InvalidInput({"rows[3].value": "不是数字。", "zz_internal": "太长。"})
    with translation.override("zh-hans"):
        assert refusal_text(exc) == "不是数字。 太长。"


def test_a_view_names_its_own_fields():
    exc = InvalidInput({"comment": "必填。"})
    with translation.override("zh-hans"):
        assert refusal_text(exc, {"comment": "驳回理由"}) == "驳回理由：必填。"


def test_other_refusals_and_worded_details_are_kept():
    assert refusal_text(Conflict("已结束的活动不能修改。")) == "已结束的活动不能修改。"
    assert refusal_text(InvalidInput({"file": "x"}, detail="文件有 3 处错误。")) == "文件有 3 处错误。"
