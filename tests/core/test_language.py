import pytest

pytestmark = pytest.mark.django_db


def test_dutch_first_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl"' in response.text


def test_the_language_switcher_is_followed(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").text
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert '<html lang="en"' in client.get("/").text  # an unknown language changes nothing
