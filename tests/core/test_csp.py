"""The Content-Security-Policy: on every page, without 'unsafe-inline', on errors too."""

import re
from pathlib import Path

import pytest

import m50
from m50.accounts.models import Role


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", ["/", "/gemeenten/", "/account/inloggen/", "/gemeenten/GM9999/"])
def test_public_pages_carry_the_policy(client, db, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_signed_in_pages_and_the_api_carry_it(client, user_for_role):
    client.force_login(user_for_role(Role.BUREAU))
    for path in ("/financien/", "/lidmaatschap/", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert directives(response)["default-src"] == ["'self'"], path


def test_no_template_has_an_inline_script_style_or_handler():
    # The policy blocks these; catching them here names the template before a browser does.
    pattern = re.compile(r"<script(?![^>]*\bsrc=)|<style\b|\sstyle=|\son[a-z]+=", re.I)
    offenders = [
        str(path)
        for path in Path(m50.__file__).parent.rglob("templates/**/*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
