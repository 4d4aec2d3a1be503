"""Benchmark of the Dutch search at 100,000 entries of generated Dutch text: a full search (the
count per kind, the top 20 ranked with the viewer's access, their snippets, the facet counts)
against the raw full-text query alone (the top 20 by rank, nothing else), p50/p95 of each;
then the header box's type-ahead (the best eight for a word being typed, one query).

    python -m bench search                                                   # SQLite
    python scripts/with_postgres.py .venv/bin/python -m bench search          # PostgreSQL
    python -m bench search --quick                                           # 10,000 entries

The text comes from a Dutch vocabulary of the network's work with Zipf-like word frequencies
and the stop words running text has, in sentences; titles of 4-10 words, summaries of 15-40,
bodies of 40-250. Access, pillars, themes, years and municipalities are spread over the entries
as a library's would be. The index is built once through ``index_rebuild`` (the path of
``m50 rebuild-search-index``; its time is printed, not part of the table). Randomness is seeded.
Each measurement runs ``--rounds`` times after one warm-up; the query count is the warm-up's.
The raw query and the full search of each viewer take turns, round by round, so a moment the
machine is slower falls on all of them alike and their ratio compares like with like.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import random
import time

from bench.bench_national import Measurement
from bench.harness import throwaway_database

SEED = 20_261_206
ENTRIES = 100_000
PER_PAGE = 20

STOP_TEXT = (
    "de de de het het een een van van en en in in op voor met te dat die is aan bij door "
    "om als naar over tot ook niet nog er zijn wordt worden deze hun kan meer uit"
)
STOP = STOP_TEXT.split()
# Ordered from common to rare; phrases are kept together as running text has them.
VOCABULARY_TEXT = """
gemeente gemeenten netwerk inwoners wonen woningen beleid college raad wethouder burgemeester
jeugdzorg kosten aanpak voorbeeld provincie rijk kabinet ministerie samenwerking pijler
sociaal_domein ruimtelijke_ordening bijeenkomst verslag advies onderzoek uitvoering middelen
financiering begroting gemeentefonds motie tweede_kamer kamerleden woningbouw mobiliteit
bereikbaarheid openbaar_vervoer fiets station wijk wijken buurt dorp stad regio centrum
energie warmtenet zonnepanelen isolatie klimaat duurzaamheid wateroverlast groen natuur
ondernemers economie werkgelegenheid bijstand participatie schuldhulp armoede zorg welzijn
ouderen mantelzorg huisarts wijkteam jongeren onderwijs school kinderopvang sport cultuur
bibliotheek veiligheid politie ondermijning handhaving toezicht vergunning omgevingswet
omgevingsplan bestemmingsplan grond locatie project projecten ontwikkeling plannen planning
corporatie huurwoningen starters senioren statushouders opvang asielzoekers arbeidsmigranten
flexwoningen doorstroming nieuwbouw transformatie kantoren bedrijventerrein landbouw stikstof
water dijk haven verkeer parkeren snelweg mirt infrastructuur investering subsidie regeling
rapport evaluatie monitor cijfers data dashboard inkoop aanbesteding contract aanbieder
aanbieders tarieven tekort tekorten lasten baten reserve risico risico's bezuiniging
herindeling fusie ambtenaren organisatie personeel werving digitalisering dienstverlening
loket privacy informatiebeveiliging archief democratie inspraak participatietraject
referendum verkiezingen fractie coalitie oppositie gesprek werkbezoek lobby position_paper
kamerbrief inbreng consultatie wetsvoorstel amendement jeugdwet wmo participatiewet
platform31 vng g40 p10 k80 rekenkamer accountant jaarrekening voorjaarsnota kadernota
decentralisatie taken bevoegdheden autonomie interbestuurlijk medeoverheden provincies
waterschappen veiligheidsregio ggd omgevingsdienst gemeenschappelijke_regeling samenwerkingsverband
"""
VOCABULARY = VOCABULARY_TEXT.split()

KINDS = ["voorbeeld", "position paper", "kamerbrief", "verslag", "publicatie", "handreiking"]
THEMES = [
    "wonen",
    "mobiliteit",
    "jeugdzorg",
    "gemeentefinancien",
    "openbare-orde-en-veiligheid",
    "zorg-en-welzijn",
    "werk-en-inkomen",
    "klimaat-en-energie",
    "ruimte-en-omgeving",
    "economie",
    "bestuur-en-dienstverlening",
]
PILLARS = {1: "ruimtelijk", 2: "sociaal", 3: "financieel"}
MUNICIPALITIES = [f"GM{n:04d}" for n in range(300, 360)]
ACCESS = ["public"] * 8 + ["network"] * 6 + ["body"] * 4 + ["bureau", "confidential"]

# (label, text, prefix[, filters[, page]]): a rare word, a middle one, the commonest, two
# words, a phrase, a prefix as typed, a word not in the vocabulary, and the commonest narrowed
# or paged.
QUERIES = [
    ("rare word", "rekenkamer", False),
    ("rare compound", "woningfonds", False),
    ("middle word", "mobiliteit", False),
    ("common word", "gemeenten", False),
    ("two words", "jeugdzorg kosten", False),
    ("phrase", '"tweede kamer"', False),
    ("prefix (woni*)", "woni", True),
    ("no match", "ruimtevaart", False),
    # A facet chosen on the commonest word: the theme "wonen" is on about one entry in six.
    ("common, one theme", "gemeenten", False, {"theme": "wonen"}),
    ("common, page 5", "gemeenten", False, {}, 5),
]


# Dutch compounds the vocabulary's tail is made of, as a library's rarer words are.
PARTS = [
    "woning",
    "jeugd",
    "zorg",
    "wijk",
    "water",
    "energie",
    "verkeer",
    "school",
    "fiets",
    "grond",
    "huur",
    "plan",
    "fonds",
    "regeling",
    "beleid",
    "raad",
    "team",
    "netwerk",
    "project",
    "kosten",
    "budget",
    "toets",
    "visie",
    "agenda",
    "plicht",
    "recht",
    "bouw",
]


# Dutch-looking syllables for the long tail of the vocabulary: a real library's text has tens of
# thousands of distinct words, most of them rare, which is what makes a typical query selective.
ONSETS = [
    "",
    "b",
    "d",
    "f",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "dr",
    "gr",
    "kl",
    "kr",
    "pl",
    "pr",
    "sch",
    "sl",
    "sp",
    "st",
    "str",
    "tr",
    "vl",
    "zw",
]
NUCLEI = ["a", "e", "i", "o", "u", "aa", "ee", "oo", "ie", "oe", "ui", "ij", "ei", "eu", "ou"]
CODAS = ["", "", "n", "r", "l", "k", "t", "s", "m", "nd", "ng", "rt", "st", "cht", "ns"]
SUFFIXES = ["", "", "", "en", "ing", "heid", "lijk", "er", "te", "ig", "isch", "schap"]
VOCABULARY_SIZE = 40_000


def _tail(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        stem = "".join(
            rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)
            for _ in range(rng.randint(1, 3))
        )
        word = stem + rng.choice(SUFFIXES)
        if len(word) >= 4 and word not in taken:
            taken.add(word)
            words.append(word)
    return words


def vocabulary() -> tuple[list[str], list[float]]:
    """The words by rank and their cumulative Zipf (s = 1) weights: the network's own words
    spread over the first few thousand ranks, then compounds of its word parts and generated
    Dutch-looking words, 40,000 in all."""
    rng = random.Random(SEED)
    compounds = [a + b for a in PARTS for b in PARTS if a != b]
    rng.shuffle(compounds)
    taken = set(VOCABULARY) | set(compounds)
    tail = _tail(rng, VOCABULARY_SIZE - len(VOCABULARY) - len(compounds), taken)
    words = tail[:]
    # The named words at ranks 1, 2, 3, ... growing apart (rank ~ n^1.5), the compounds among
    # ranks 300 to 20,000: common domain words, rarer compounds, the generated ones in between.
    for n, word in enumerate(VOCABULARY):
        words.insert(min(len(words), int(n**1.5)), word)
    for n, word in enumerate(compounds):
        words.insert(min(len(words), 300 + n * 28), word)
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 1)
        cumulative.append(total)
    return words, cumulative


def _texts(rng: random.Random):
    vocabulary_words, cumulative = vocabulary()

    def sentence(length: int) -> str:
        content = rng.choices(vocabulary_words, cum_weights=cumulative, k=length)
        out = [
            rng.choice(STOP) if rng.random() < 0.4 else word.replace("_", " ") for word in content
        ]
        return " ".join(out).capitalize()

    def text(low: int, high: int) -> str:
        total, sentences = rng.randint(low, high), []
        while total > 0:
            length = min(total, rng.randint(6, 16))
            sentences.append(sentence(length) + ".")
            total -= length
        return " ".join(sentences)

    return sentence, text


def entries(count: int):
    """The entries, the same each time for the same count."""
    from m50.core.search.index import EntryData

    def generate():
        rng = random.Random(SEED)
        sentence, text = _texts(rng)
        for n in range(count):
            access = rng.choice(ACCESS)
            pillar = rng.choice(list(PILLARS))
            date = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(11 * 365))
            facets = {
                "kind": [rng.choice(KINDS)],
                "theme": sorted(set(rng.sample(THEMES, rng.randint(1, 2)))),
                "pillar": [PILLARS[pillar]],
                "year": [str(date.year)],
            }
            if rng.random() < 0.6:
                facets["municipality"] = [rng.choice(MUNICIPALITIES)]
            yield EntryData(
                kind="knowledge",
                object_id=n + 1,
                title=sentence(rng.randint(4, 10)),
                summary=text(15, 40),
                body=text(40, 250),
                url=f"/kennis/{n + 1}",
                access=access,
                pillar_id=pillar if access == "body" else None,
                date=date,
                facets=facets,
            )

    return generate


def _raw(text: str, prefix: bool):
    """The top 20 of the full-text match and its rank alone: no access, count, facets or text."""
    from django.db import connection

    from m50.core.search import backends
    from m50.core.search.parser import parse

    parsed = parse(text, prefix=prefix)
    found = backends.match(parsed)
    if connection.vendor == "sqlite":
        sql = (
            f"SELECT rowid, {found.rank} AS rank FROM {backends.FTS} WHERE {found.condition} "  # noqa: S608
            "ORDER BY rank DESC LIMIT %s"
        )
    else:
        sql = (
            f"SELECT id, {found.rank} AS rank FROM {backends.ENTRY} WHERE {found.condition} "  # noqa: S608
            "ORDER BY rank DESC LIMIT %s"
        )
    params = [*found.rank_params, *found.params, PER_PAGE]

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    return run


def _full(text: str, prefix: bool, viewer, filters=None, page=1):
    from m50.core.search import query

    def run():
        results = query.search(
            text=text,
            viewer=viewer,
            per_page=PER_PAGE,
            prefix=prefix,
            filters=filters,
            page=page,
        )
        return results.total

    return run


def interleaved(runs: dict, rounds: int) -> dict[str, Measurement]:
    """Each of ``runs`` measured ``rounds`` times after one warm-up (its query count and
    outcome), one round of each in turn."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measured = {}
    for name, function in runs.items():
        with CaptureQueriesContext(connection) as queries:
            outcome = function()
        measured[name] = Measurement(queries=len(queries), status=outcome, bytes=0)
    # As timeit does: no collection of the whole process's garbage inside a timed round.
    gc.collect()
    gc.disable()
    try:
        for _round in range(rounds):
            for name, function in runs.items():
                started = time.perf_counter()
                function()
                measured[name].samples_ms.append((time.perf_counter() - started) * 1000)
    finally:
        gc.enable()
    return measured


# Type-ahead (query.suggest): what the header's box asks while typing, eight best, one query.
SUGGEST_TEXTS = ["wo", "woni", "gemeente jeu"]


def _suggest(text: str, viewer):
    from m50.core.search import query

    def run():
        return len(query.suggest(text=text, viewer=viewer, limit=8))

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench search", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 entries, 10 rounds")
    parser.add_argument("--entries", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    options = parser.parse_args(argv)
    count = options.entries or (ENTRIES // 10 if options.quick else ENTRIES)
    rounds = options.rounds or (10 if options.quick else 50)
    with throwaway_database("m50-bench-search-"):
        from django.db import connection

        from m50.core.search import index
        from m50.core.search.access import Viewer

        index.provider_register("knowledge", entries(count))
        started = time.perf_counter()
        index.index_rebuild()
        built = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"Indexed {count:,} entries in {built:.1f} s ({count / built:,.0f} entries/s)")
        viewers = {
            "participant": Viewer(
                authenticated=True, role="participant", pillar_ids=frozenset({2})
            ),
            "bureau": Viewer(authenticated=True, role="bureau"),
        }
        print(
            f"{'query':<20} {'viewer':<12} {'matches':>8} {'queries':>7} "
            f"{'full p50':>9} {'full p95':>9} {'raw p50':>8} {'raw p95':>8} "
            f"{'p50 ÷':>6} {'p95 ÷':>6}"
        )
        print("-" * 103)
        for label, text, prefix, *options in QUERIES:
            runs = {"raw": _raw(text, prefix)} | {
                name: _full(text, prefix, viewer, *options) for name, viewer in viewers.items()
            }
            measured = interleaved(runs, rounds)
            raw = measured["raw"]
            for name in viewers:
                full = measured[name]
                matches = full.status
                ratio = full.quantile(0.95) / raw.quantile(0.95) if raw.quantile(0.95) else 0
                ratio_50 = full.quantile(0.5) / raw.quantile(0.5) if raw.quantile(0.5) else 0
                print(
                    f"{label:<20} {name:<12} {matches:>8,} {full.queries:>7} "
                    f"{full.quantile(0.5):>9.1f} {full.quantile(0.95):>9.1f} "
                    f"{raw.quantile(0.5):>8.1f} {raw.quantile(0.95):>8.1f} "
                    f"{ratio_50:>6.2f} {ratio:>6.2f}",
                    flush=True,
                )
        print()
        print(
            f"{'type-ahead':<20} {'viewer':<12} {'shown':>8} {'queries':>7} {'p50':>9} {'p95':>9}"
        )
        print("-" * 70)
        for text in SUGGEST_TEXTS:
            measured = interleaved(
                {name: _suggest(text, viewer) for name, viewer in viewers.items()}, rounds
            )
            for name, result in measured.items():
                print(
                    f"{text:<20} {name:<12} {result.status:>8} {result.queries:>7} "
                    f"{result.quantile(0.5):>9.1f} {result.quantile(0.95):>9.1f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
