"""Issue #18: an unknown /api/v1/ path or a wrong method answers JSON like the API's other errors,
not the HTML error page; the web site's own 404 stays HTML."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/anything-unknown", "/campaigns/1/nothing", "/no/such/thing/1"])
def test_unknown_api_path_is_a_json_404(api_for, users, method, path):
    response = getattr(api_for(users["owner"]), method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}  # in the reader's language, Chinese by default
    english = getattr(api_for(users["owner"]), method)(path, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"detail": "Not found."}


def test_unknown_api_path_without_a_token_is_also_json(client):
    response = client.get("/api/v1/anything-unknown")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}


def test_wrong_method_on_a_known_path_is_a_json_405(api_for, users):
    response = api_for(users["owner"]).put("/campaigns")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert "GET" in response.json()["detail"]


def test_the_sites_404_stays_html(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
