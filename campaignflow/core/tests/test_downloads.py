"""core.downloads: one set of headers for the documents the server makes."""

from campaignflow.core.downloads import CSV, PDF, XLSX, download


def test_an_attachment_is_named_typed_as_sent_and_not_sniffed():
    response = download(b"PK", filename="plan-7.xlsx", content_type=XLSX)
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="plan-7.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"PK"


def test_a_chinese_name_is_written_as_rfc_5987_and_a_pdf_may_open_inline():
    response = download(b"%PDF", filename="结算单-7.pdf", content_type=PDF, inline=True)
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%E7%BB%93%E7%AE%97%E5%8D%95-7.pdf"


def test_chunks_are_streamed():
    response = download(iter(["a,b\r\n", "1,2\r\n"]), filename="tasks-7.csv", content_type=CSV)
    assert response.streaming and b"".join(response.streaming_content) == b"a,b\r\n1,2\r\n"
