"""Reading the Gegevensmagazijn's OData API page by page: what changed since the last sync.

Per entity: ``<Entity>?$filter=GewijzigdOp ge <last seen>&$orderby=GewijzigdOp`` (with the
expansions the sync reads), following ``@odata.nextLink``, with a pause between requests
(``M50_TWEEDEKAMER_REQUEST_DELAY``). Each page is applied in its own transaction together with
the sync state (the last ``GewijzigdOp`` and the next page's address), so a run that stops
halfway (a network error, a bad page) resumes at the page it did not finish. ``ge`` rather than
``gt``: records sharing the last timestamp are read again, and found unchanged.
Only the standard library's urllib: no new dependency.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.publicaffairs.models import SyncState
from m50.publicaffairs.tweedekamer.pages import PageError, page_parse
from m50.publicaffairs.tweedekamer.sync import PageResult, SyncReport, SyncSession, page_apply

# The entities read online, in this order (what others point to first), with the query
# options each needs beyond the change filter.
ONLINE = (
    ("Fractie", {}),
    ("Commissie", {}),
    ("Persoon", {}),
    ("FractieZetelPersoon", {"$expand": "FractieZetel($select=Id,Fractie_Id)"}),
    ("CommissieZetelVastPersoon", {"$expand": "CommissieZetel($select=Id,Commissie_Id)"}),
    ("CommissieZetelVervangerPersoon", {"$expand": "CommissieZetel($select=Id,Commissie_Id)"}),
    (
        "Zaak",
        {
            "$filter": "Soort eq 'Motie'",
            "$expand": "Document($expand=HuidigeDocumentVersie($expand=DocumentPublicatie))",
        },
    ),
    ("ZaakActor", {"$filter": "Zaak/Soort eq 'Motie'"}),
    ("Besluit", {"$expand": "Zaak($select=Id,Soort)"}),
    ("Stemming", {}),
    ("Activiteit", {}),
)
ENTITY_NAMES = tuple(name for name, _options in ONLINE)
# A page is at most 250 records; far more than that is not a page of this API.
MAX_PAGE_BYTES = 64 * 1024 * 1024
USER_AGENT = "M50-platform sync-tweedekamer (urllib)"


class FetchError(Exception):
    pass


def base_url() -> str:
    return settings.M50_TWEEDEKAMER_API_URL.rstrip("/") + "/"


def first_url(entity: str, since) -> str:
    options = dict(dict(ONLINE)[entity])
    conditions = [options.pop("$filter")] if "$filter" in options else []
    if since is not None:
        conditions.append(f"GewijzigdOp ge {since.isoformat()}")
    query = {**options, "$orderby": "GewijzigdOp"}
    if conditions:
        query["$filter"] = " and ".join(conditions)
    return base_url() + entity + "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)


def fetch_json(url: str, *, timeout: float = 60.0):
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(_("%(url)s: alleen http(s)") % {"url": url})
    # The scheme is checked above; the address is the configured service or its nextLink.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_PAGE_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchError(
            _("%(url)s: niet opgehaald (%(error)s)") % {"url": url, "error": exc}
        ) from exc
    if len(body) > MAX_PAGE_BYTES:
        raise FetchError(_("%(url)s: antwoord te groot") % {"url": url})
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(
            _("%(url)s: geen geldige JSON (%(error)s)") % {"url": url, "error": exc}
        ) from exc


def online_sync(
    *,
    entities: tuple[str, ...] = ENTITY_NAMES,
    fetch: Callable[[str], object] = fetch_json,
    sleep: Callable[[float], None] = time.sleep,
    max_pages: int | None = None,
) -> SyncReport:
    """Read what changed per entity since its last sync. An entity whose page fails stops
    there (its state keeps the page to resume at); the other entities go on."""
    report = SyncReport()
    session = SyncSession()
    delay = settings.M50_TWEEDEKAMER_REQUEST_DELAY
    requests = 0
    for entity in entities:
        state, _created = SyncState.objects.get_or_create(entity=entity)
        url = state.resume_url or first_url(entity, state.last_changed_at)
        number = 0
        while url:
            if max_pages is not None and requests >= max_pages:
                return report
            if requests:
                sleep(delay)
            requests += 1
            number += 1
            name = f"{entity} {_('pagina')} {number}"
            try:
                page = page_parse(fetch(url), name=name)
            except (FetchError, PageError) as exc:
                report.pages.append(PageResult(name=name, error=f"{name}: {exc}"))
                _remember_resume(entity, url)
                break
            next_link = page.next_link
            if next_link and not next_link.startswith(base_url()):
                # Only pages of the configured service are followed.
                report.pages.append(
                    PageResult(
                        name=name,
                        error=_("%(name)s: volgende pagina buiten %(base)s: %(url)s")
                        % {"name": name, "base": base_url(), "url": next_link[:200]},
                    )
                )
                _remember_resume(entity, url)
                break
            with transaction.atomic():
                result = page_apply(page, name=name, session=session)
                report.pages.append(result)
                if not result.error:
                    url = next_link
                _remember_resume(entity, url)
            if result.error:
                break
    return report


def _remember_resume(entity: str, url: str) -> None:
    SyncState.objects.filter(entity=entity).update(resume_url=url, last_run_at=timezone.now())
