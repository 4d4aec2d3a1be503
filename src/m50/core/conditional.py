"""Validators and a rendered cache for the public pages and API responses that change rarely.

A page that shows only the registry and the members names those parts of the data
(:mod:`m50.core.versions`). Before any page work it reads their versions, in one query, and
answers a conditional request (``If-None-Match``, ``If-Modified-Since``) whose validator still
holds with ``304 Not Modified``. The validators hold no longer than:

* the data versions it names (every service that changes that data raises them);
* today's date (a status changes on 1 January without any write);
* the language, the address (path, query, host), the release (code, templates, settings);
* who asks: the user's id, role, municipality and name when logged in, and for HTML the
  visitor's CSRF secret (the page's forms carry a token derived from it).

The ETag is weak: the body differs per visitor by that CSRF token, not in meaning.

The rendered body is cached for anonymous visitors only (no session, no pending messages), per
data version, language, date and address: never a logged-in user's page, so never across users
or roles. The CSRF token of the language form is left out of the cached body and put back per
visitor. The key holds the data version (and its time), so a cached page cannot be stale; the
cache is per process (``CACHES["pages"]``, local memory) because a hit then costs no query.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.http import http_date

import m50
from m50.core.versions import PAGE_CACHE, data_versions

SAFE_METHODS = ("GET", "HEAD")
API_VARY = ("Cookie", "Authorization")
# The cached body keeps this in place of the visitor's CSRF token.
CSRF_PLACEHOLDER = b"m50-csrf-token-placeholder"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
CSRF_HOLE = b'name="csrfmiddlewaretoken" value="' + CSRF_PLACEHOLDER + b'"'
# Headers the view sets that a cached response repeats (the middleware adds the others again).
CACHED_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
# A larger response (an export, a long page of the API) is rendered each time: the cache holds
# at most CACHES["pages"]["OPTIONS"]["MAX_ENTRIES"] of this size per process.
MAX_CACHED_BYTES = 256 * 1024


@cache
def release() -> str:
    """Changes with the code, the templates, the translations, the static files and the M50
    settings: a deployment invalidates every validator. The same in every process of one
    installation (computed from file sizes and times, once per process)."""
    digest = hashlib.sha256(str(getattr(m50, "__version__", "")).encode())
    package = Path(m50.__file__).parent
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    for name in sorted(dir(settings)):
        if name.startswith("M50_") or name in ("LANGUAGES", "TIME_ZONE", "STATIC_URL"):
            digest.update(f"{name}={getattr(settings, name)!r};".encode())
    return digest.hexdigest()[:16]


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting.startswith("M50_") or setting in ("LANGUAGES", "TIME_ZONE", "STATIC_URL"):
        release.cache_clear()


def _hash(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]


def _visitor(user) -> str:
    """Who asks, as far as a page may show it: nobody, or this user in this role."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    return _hash(
        user.pk,
        user.is_active,
        getattr(user, "role", ""),
        getattr(user, "municipality_id", ""),
        str(user),
    )


def _csrf_secret(request) -> str:
    # Salted: the ETag shows nothing of the secret. Made here if the visitor has none yet, as
    # the page itself would (its language form carries a token).
    if "CSRF_COOKIE" not in request.META:
        get_token(request)
    return salted_hmac("m50.core.conditional", request.META["CSRF_COOKIE"]).hexdigest()[:16]


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: int  # seconds since the epoch
    cache_key: str


def validators(request, names: tuple[str, ...], *, user, html: bool) -> Validators:
    """The validators of the response to ``request`` and its key in the rendered cache."""
    versions = data_versions(names)  # the one query
    today = timezone.localdate()
    shared = (
        release(),
        "html" if html else "api",
        sorted(versions.items()),
        translation.get_language(),
        today.isoformat(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    )
    csrf = _csrf_secret(request) if html else ""
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    changed = [v.changed_at for v in versions.values() if v.changed_at is not None]
    last_modified = max([midnight, *changed])
    return Validators(
        etag=f'W/"{_hash(*shared, _visitor(user), csrf)}"',
        last_modified=int(last_modified.timestamp()),
        cache_key="page:" + _hash(*shared),
    )


def _set_validators(response, state: Validators, vary=("Cookie",)):
    response["ETag"] = state.etag
    response["Last-Modified"] = http_date(state.last_modified)
    # Always ask again (a write or midnight may have changed the page); never in a shared cache.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, vary)
    return response


def _not_modified(request, state: Validators, vary=("Cookie",)):
    if request.META.get("HTTP_IF_NONE_MATCH", "").strip() == "*":
        return None  # "any representation": the view decides whether there is one
    response = get_conditional_response(request, etag=state.etag, last_modified=state.last_modified)
    return None if response is None else _set_validators(response, state, vary)


def _messages_pending(request) -> bool:
    # A page shows the visitor's messages once: such a page is neither cached nor skipped.
    return bool(len(get_messages(request)))


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _storable(response) -> dict | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if len(response.content) > MAX_CACHED_BYTES:
        return None
    return {
        "content": CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content),
        "headers": {name: response[name] for name in CACHED_HEADERS if name in response},
    }


def _store(response, key: str) -> None:
    """Keeps the rendered ``response`` under ``key``, now or once it is rendered."""

    def store(rendered):
        if (stored := _storable(rendered)) is not None:
            caches[PAGE_CACHE].set(key, stored)

    if getattr(response, "is_rendered", True):
        store(response)
    else:  # a TemplateResponse (DRF's Response is one): rendered after the view returns
        response.add_post_render_callback(store)


def _from_cache(request, stored: dict) -> HttpResponse:
    content = stored["content"]
    if CSRF_HOLE in content:
        token = get_token(request).encode()
        content = content.replace(CSRF_PLACEHOLDER, token)
    return HttpResponse(content, headers=stored["headers"])


def public_page(*names: str, logged_in: bool = True):
    """For a page view that shows only the data ``names``: validators and 304 for everyone
    (with ``logged_in=False`` only for anonymous visitors: a page that shows logged-in users
    more than those data), and the rendered page cached for anonymous visitors."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if (
                request.method not in SAFE_METHODS
                or (user.is_authenticated and not logged_in)
                or _messages_pending(request)
            ):
                return view(request, *args, **kwargs)
            state = validators(request, names, user=user, html=True)
            response = _not_modified(request, state)
            if response is not None:
                return response
            cacheable = not user.is_authenticated and not _has_session(request)
            stored = caches[PAGE_CACHE].get(state.cache_key) if cacheable else None
            if stored is not None:
                return _set_validators(_from_cache(request, stored), state)
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if cacheable:
                _store(response, state.cache_key)
            return _set_validators(response, state)

        return wrapped

    return decorator


def public_api(*names: str):
    """For a read action of an API view set (``list``, ``retrieve``) whose response shows only
    the data ``names``: validators and 304, and the rendered JSON cached for anonymous callers.
    Applied inside DRF's dispatch, so authentication, permissions and problem responses for
    errors happen as before (an error is never cached, and carries no validator)."""

    def decorator(action):
        @wraps(action)
        def wrapped(viewset, request, *args, **kwargs):
            if request.method not in SAFE_METHODS:
                return action(viewset, request, *args, **kwargs)
            user = request.user
            state = validators(request, names, user=user, html=False)
            response = _not_modified(request, state, API_VARY)
            if response is not None:
                return response
            cacheable = not user.is_authenticated
            stored = caches[PAGE_CACHE].get(state.cache_key) if cacheable else None
            if stored is not None:
                return _set_validators(_from_cache(request, stored), state, API_VARY)
            response = action(viewset, request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if cacheable:
                _store(response, state.cache_key)
            return _set_validators(response, state, API_VARY)

        # For the OpenAPI document (m50.api.schema): the validators and the 304.
        wrapped.conditional_data = names
        return wrapped

    return decorator


def versioned_page(*names: str):
    """For a page behind a login that shows only the data ``names`` and what the user may
    see: validators and 304, as :func:`public_page` gives them (per user, role, date and
    address). Nothing is cached: a logged-in user's page never is."""
    return public_page(*names)
