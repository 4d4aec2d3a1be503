"""The English catalogue: complete, placeholder-safe, compiled, and used after a language switch.

The source strings are Dutch, so English is the only catalogue. The .po file is read with a
small parser of our own (polib is not a dependency); the committed .mo is checked against it
with the standard library's gettext, so an install without GNU gettext still gets English.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

import m50
from m50.accounts.models import Role
from tests.factories import MunicipalityFactory, PopulationCountFactory

CATALOGUE_DIR = Path(m50.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

HOME = reverse("core:home")
MUNICIPALITIES = reverse("municipalities:list")
SET_LANGUAGE = reverse("set_language")

# printf-style placeholders as Python's % operator reads them, including %% and %(name)s.
PRINTF = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# Only real HTML elements: "Token <sleutel>" in an API description is not markup.
HTML_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|span|strong)\b[^>]*>")

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"

    def pairs(self) -> list[tuple[str, str]]:
        """(source, translation) for every form: form 0 against msgid, the others msgid_plural."""
        if self.msgid_plural is None:
            return [(self.msgid, self.msgstr.get(0, ""))]
        return [
            (self.msgid if index == 0 else self.msgid_plural, text)
            for index, text in sorted(self.msgstr.items())
        ]


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda match: _ESCAPES[match.group(1)], text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") included, obsolete ones marked.

    gettext writes one entry per block of lines, blocks separated by a blank line.
    """
    entries = []
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(lines, start=1):
        if line.strip():
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    for block in filter(None, blocks):
        entry = Entry(line=block[0][0])
        target: tuple[str, int] | None = None
        for number, raw in block:
            line = raw
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].strip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            elif line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                keyword, index, value = match.groups()
                target = (keyword, int(index or 0))
                if keyword == "msgstr":
                    entry.msgstr[target[1]] = _unquote(value)
                else:
                    setattr(entry, keyword, _unquote(value))
            elif line.startswith('"') and target is not None:
                keyword, slot = target
                if keyword == "msgstr":
                    entry.msgstr[slot] += _unquote(line)
                else:
                    setattr(entry, keyword, getattr(entry, keyword) + _unquote(line))
            else:
                raise AssertionError(f"{path.name} line {number}: cannot read {raw!r}")
        if target is not None:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(catalogue) -> list[Entry]:
    return [entry for entry in catalogue if entry.msgid and not entry.obsolete]


def test_english_catalogue_exists_and_no_dutch_one():
    assert PO_FILE.is_file() and MO_FILE.is_file()
    locale_dir = CATALOGUE_DIR.parent.parent
    assert not (locale_dir / "nl").exists(), "the source strings are Dutch: no Dutch catalogue"


def test_header_declares_english_and_two_plural_forms(catalogue):
    header = next(entry for entry in catalogue if entry.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_parser_reads_the_whole_catalogue(messages):
    # A check on the parser itself: one message per line starting with 'msgid ', minus the
    # header (msgid "" directly followed by its msgstr).
    text = PO_FILE.read_text(encoding="utf-8")
    expected = len(re.findall(r"^msgid ", text, re.M)) - len(
        re.findall(r'^msgid ""\nmsgstr', text, re.M)
    )
    assert len(messages) == expected
    assert len(messages) > 100


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue, messages):
    fuzzy = [str(entry) for entry in catalogue if "fuzzy" in entry.flags]
    assert not fuzzy, fuzzy
    untranslated = [
        str(entry)
        for entry in messages
        if not entry.msgstr or any(not text.strip() for _source, text in entry.pairs())
    ]
    assert not untranslated, untranslated
    plural_forms = [
        str(entry) for entry in messages if entry.msgid_plural and sorted(entry.msgstr) != [0, 1]
    ]
    assert not plural_forms, plural_forms


def test_no_obsolete_entries(catalogue):
    assert not [str(entry) for entry in catalogue if entry.obsolete]


def test_translations_keep_placeholders_and_markup(messages):
    problems = []
    for entry in messages:
        for source, text in entry.pairs():
            patterns = [PRINTF, HTML_TAG]
            if "python-brace-format" in entry.flags:
                patterns.append(BRACE)
            for pattern in patterns:
                expected = Counter(pattern.findall(source))
                found = Counter(pattern.findall(text))
                if expected != found:
                    problems.append(f"{entry}: {dict(expected)} became {dict(found)}")
    assert not problems, "\n".join(problems)


def test_named_placeholders_format_with_the_source_arguments(messages):
    # The % operator itself is the judge: a translation that formats differently breaks at runtime.
    for entry in messages:
        if "python-format" not in entry.flags:
            continue
        for source, text in entry.pairs():
            names = re.findall(r"%\(([^)]+)\)", source)
            if not names:
                continue
            assert isinstance(text % dict.fromkeys(names, 1), str), entry


def test_compiled_catalogue_matches_the_po_file(messages):
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages:
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                got = compiled.gettext(entry.msgid)
            else:
                got = compiled.pgettext(entry.msgctxt, entry.msgid)
            if got != entry.msgstr[0]:
                stale.append(str(entry))
        else:
            for count, form in ((1, 0), (2, 1)):
                if entry.msgctxt is None:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, count)
                else:
                    got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                if got != entry.msgstr[form]:
                    stale.append(f"{entry} [{form}]")
    assert not stale, "django.mo is out of date; run compilemessages:\n" + "\n".join(stale)


@pytest.fixture
def registry(db):
    item = MunicipalityFactory(name="Middelstad", code="GM9001")
    PopulationCountFactory(municipality=item, year=2024, inhabitants=45_000)
    return item


def _switch_to_english(client) -> None:
    """Use the footer's language switcher, as a visitor would."""
    response = client.post(SET_LANGUAGE, {"language": "en", "next": HOME})
    assert response.status_code == 302
    assert response.headers["Location"] == HOME
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def _assert_english_home(html: str) -> None:
    assert '<html lang="en"' in html
    assert "Skip to content" in html
    assert "Naar de inhoud" not in html
    assert "M50: the network of medium-sized municipalities" in html
    assert '<nav class="m50-nav" aria-label="Main menu"' in html
    # The switcher shows the current language as selected.
    assert '<option value="en" lang="en" selected>English</option>' in html


def _assert_english_list(html: str) -> None:
    assert '<html lang="en"' in html
    assert '<h1 class="utrecht-heading-1">Municipalities</h1>' in html
    headings = re.findall(
        r'<th class="utrecht-table__header-cell[^"]*" scope="col">([^<]+)</th>', html
    )
    assert headings == [
        "Municipality",
        "CBS code",
        "Province",
        "Population",
        "Population band",
        "M50",
    ]
    assert "1 municipality found" in html
    assert "within population band" in html
    assert "Middelstad" in html


@pytest.mark.django_db
def test_home_is_dutch_by_default(client):
    html = client.get(HOME).text
    assert '<html lang="nl"' in html
    assert "Naar de inhoud" in html
    assert "Skip to content" not in html


@pytest.mark.django_db
def test_municipality_list_is_dutch_by_default(client, registry):
    html = client.get(MUNICIPALITIES).text
    assert '<html lang="nl"' in html
    assert '<h1 class="utrecht-heading-1">Gemeenten</h1>' in html
    assert 'scope="col">Bandbreedte</th>' in html
    assert "1 gemeente gevonden" in html


@pytest.mark.django_db
def test_pages_are_english_after_switching_language(client, registry, user_for_role):
    # Public affairs starts at the network's front page (the bureau at its work queue).
    client.force_login(user_for_role(Role.PUBLIC_AFFAIRS))
    _switch_to_english(client)
    _assert_english_home(client.get(HOME).text)
    _assert_english_list(client.get(MUNICIPALITIES).text)


@pytest.mark.django_db
def test_anonymous_visitor_with_the_language_cookie_gets_english(client, registry):
    # What the switcher leaves behind: the public pages follow it without a login.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _assert_english_home(client.get(HOME).text)
    _assert_english_list(client.get(MUNICIPALITIES).text)


@pytest.mark.django_db
def test_anonymous_visitor_can_switch_to_english(client, registry):
    # The switcher must work before logging in: set_language is exempt from the login rule.
    _switch_to_english(client)
    _assert_english_home(client.get(HOME).text)
    _assert_english_list(client.get(MUNICIPALITIES).text)
