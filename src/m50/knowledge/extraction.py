"""Reading the text of an uploaded PDF, DOCX or ODT, so that it can be searched, without letting
a hostile file hang or exhaust the server.

The reading runs in a child process (``python -m m50.knowledge.extraction``) that limits
itself before it reads anything: address space and CPU time (``resource.setrlimit``), no files
written; the parent kills it after a wall-clock timeout and takes at most
:data:`TEXT_MAX_CHARS` characters of what it says. A PDF is read with pypdf (which caps what
one stream may inflate to); a DOCX or ODT with zipfile and lxml, after the archive's directory
passed :func:`archive_problem` (member count, uncompressed size, compression ratio), each part
read with a cap (a directory may lie about sizes), and XML parsed without entities, network or
huge trees.

A file whose text cannot be read is still stored, with the reason (a
:class:`~m50.knowledge.models.TextReason` value): its text is then not searchable.

This module imports nothing of Django, so the child starts quickly.
"""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: The most text kept of one file (a long report is some 300,000 characters).
TEXT_MAX_CHARS = 1_000_000
#: The child's limits: address space and CPU seconds.
MEMORY_BYTES = 768 * 1024 * 1024
CPU_SECONDS = 15
#: A DOCX or ODT archive: the most members, the most bytes they may unpack to in all (as the
#: directory says), the highest ratio of unpacked to packed size of a member larger than
#: RATIO_FROM_BYTES, and the most bytes read of the one part whose text is taken.
ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
XML_MAX_BYTES = 50 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
KINDS = {PDF: "pdf", DOCX: "docx", ODT: "odt"}

# Reasons (the values of models.TextReason).
EMPTY = "geen-tekst"
ENCRYPTED = "versleuteld"
DAMAGED = "beschadigd"
TOO_BIG = "te-groot"
TOO_SLOW = "te-traag"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass(frozen=True)
class Extracted:
    text: str
    reason: str = ""  # "" when the text was read

    @property
    def readable(self) -> bool:
        return not self.reason


def archive_problem(archive: zipfile.ZipFile) -> str | None:
    """What makes ``archive`` too much to unpack, judged from its directory only (None: fine).
    Used before the file is stored (a zip bomb is refused) and again before reading."""
    entries = archive.infolist()
    if len(entries) > ZIP_MAX_MEMBERS:
        return "members"
    if sum(entry.file_size for entry in entries) > ZIP_MAX_TOTAL_BYTES:
        return "size"
    for entry in entries:
        if entry.file_size > RATIO_FROM_BYTES and entry.file_size > ZIP_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            return "ratio"
    return None


# --- The parent ---------------------------------------------------------------------------


def extract_text(data: bytes, content_type: str, *, seconds: float) -> Extracted:
    """The text of ``data`` (a file of ``content_type``), read in a limited child process."""
    kind = KINDS[content_type]
    environment = dict(os.environ)
    # The child finds this package where the parent found it.
    package_root = str(Path(__file__).resolve().parents[2])
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, environment.get("PYTHONPATH", "")) if p
    )
    try:
        done = subprocess.run(  # noqa: S603 - our own module, the file on stdin
            [sys.executable, "-m", "m50.knowledge.extraction", kind, *_limits()],
            input=data,
            stdout=subprocess.PIPE,
            # pypdf's warnings about a damaged file: not kept, however many a file causes.
            stderr=subprocess.DEVNULL,
            timeout=seconds,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Extracted("", TOO_SLOW)
    if done.returncode != 0:
        # Killed by its CPU limit (SIGXCPU), or failed for lack of memory.
        if done.returncode == -signal.SIGXCPU:
            return Extracted("", TOO_SLOW)
        return Extracted("", TOO_BIG)
    try:
        answer = json.loads(done.stdout[: 8 * TEXT_MAX_CHARS])
        text, reason = str(answer["text"]), str(answer["reason"])
    except (ValueError, KeyError, TypeError):
        return Extracted("", DAMAGED)
    return _result(text, reason)


# The limits the child applies, passed on its command line (so they are this module's, as
# configured in the parent).
LIMIT_NAMES = (
    "MEMORY_BYTES",
    "CPU_SECONDS",
    "TEXT_MAX_CHARS",
    "XML_MAX_BYTES",
    "ZIP_MAX_MEMBERS",
    "ZIP_MAX_TOTAL_BYTES",
    "ZIP_MAX_RATIO",
)


def _limits() -> list[str]:
    return [str(int(globals()[name])) for name in LIMIT_NAMES]


def _result(text: str, reason: str) -> Extracted:
    if reason:
        return Extracted("", reason)
    text = _tidy(text)[:TEXT_MAX_CHARS]
    if not text.strip():
        return Extracted("", EMPTY)
    return Extracted(text)


def _tidy(text: str) -> str:
    """No NUL characters (PostgreSQL refuses them in text) and no trailing blanks per line."""
    return "\n".join(line.rstrip() for line in text.replace("\x00", "").splitlines()).strip()


# --- The child ----------------------------------------------------------------------------


class _Full(Exception):
    """Enough text read: the rest is not kept anyway."""


class _Collector:
    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.length > TEXT_MAX_CHARS:
            raise _Full

    def text(self) -> str:
        return "\n".join(self.parts)[:TEXT_MAX_CHARS]


def _limit_self() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _pdf_text(data: bytes, out: _Collector) -> str:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return ENCRYPTED
            except (FileNotDecryptedError, NotImplementedError):
                return ENCRYPTED
        for page in reader.pages:
            out.add(page.extract_text() or "")
    except LimitReachedError:
        return TOO_BIG
    except FileNotDecryptedError:
        return ENCRYPTED
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return DAMAGED
    return ""


def _xml_text(data: bytes, part: str, out: _Collector, paragraphs, texts) -> str:
    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if archive_problem(archive):
            return TOO_BIG
        with archive.open(part) as stream:
            xml = stream.read(XML_MAX_BYTES + 1)
    except KeyError:
        return DAMAGED
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return DAMAGED
    if len(xml) > XML_MAX_BYTES:
        return TOO_BIG
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return DAMAGED
    for paragraph in root.iter(*paragraphs):
        out.add("".join(texts(paragraph)))
    return ""


def _docx_runs(paragraph):
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if node.tag == f"{W}t":
            yield node.text or ""
        else:
            yield "\t" if node.tag == f"{W}tab" else "\n"


def _odt_runs(paragraph):
    # Text directly in the paragraph and its spans; a note's own paragraphs come separately.
    for text in paragraph.xpath("./text()|./*[not(self::text:note)]//text()", namespaces=_ODF):
        yield str(text)


_ODF = {"text": TEXT_NS[1:-1]}


def read(kind: str, data: bytes) -> tuple[str, str]:
    """``(text, reason)`` of ``data``: what the child computes (callable in-process in tests
    of the formats themselves)."""
    out = _Collector()
    try:
        if kind == "pdf":
            reason = _pdf_text(data, out)
        elif kind == "docx":
            reason = _xml_text(data, "word/document.xml", out, (f"{W}p",), _docx_runs)
        elif kind == "odt":
            reason = _xml_text(data, "content.xml", out, (f"{TEXT_NS}p", f"{TEXT_NS}h"), _odt_runs)
        else:
            reason = DAMAGED
    except _Full:
        reason = ""
    except MemoryError:
        return "", TOO_BIG
    except RecursionError:
        return "", DAMAGED
    return ("", reason) if reason else (out.text(), "")


def main(argv: list[str]) -> int:
    kind, *limits = argv[1:]
    for name, value in zip(LIMIT_NAMES, limits, strict=False):
        globals()[name] = int(value)
    _limit_self()
    logging.disable(logging.CRITICAL)
    data = sys.stdin.buffer.read()
    text, reason = read(kind, data)
    sys.stdout.write(json.dumps({"text": text, "reason": reason}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
