"""Importing a CBS population file: new years, corrections, and refusing malformed files."""

import csv
import io
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from m50.municipalities import services
from m50.municipalities.models import Municipality, PopulationCount
from m50.municipalities.services import PopulationImportError, population_import

HEADER = "peildatum,gm_code,gemeentenaam,provincie_code,provincie,inwoners,cbs_tabel,cbs_variabele"
DIEMEN_2025 = "2025-01-01,GM0384,Diemen,PV27,Noord-Holland,33412,37259NED,BevolkingOp1Januari_1"
AMSTERDAM_2025 = (
    "2025-01-01,GM0363,Amsterdam,PV27,Noord-Holland,942504,37259NED,BevolkingOp1Januari_1"
)


def csv_text(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


def csv_line(*values) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def write(tmp_path, text: str | bytes, name: str = "bevolking.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def population() -> list[tuple]:
    return list(
        PopulationCount.objects.order_by("municipality_id", "year").values_list(
            "municipality_id", "year", "inhabitants", "source"
        )
    )


def value(code: str, year: int) -> int:
    return PopulationCount.objects.get(municipality__code=code, year=year).inhabitants


def refused(file) -> list[tuple[int | None, str]]:
    """Imports ``file``, expects a refusal that changed nothing; returns (line, message) pairs."""
    before = population()
    with pytest.raises(PopulationImportError) as info:
        population_import(file=file)
    assert population() == before
    assert isinstance(info.value, ValidationError)
    assert info.value.messages == [str(p) for p in info.value.problems]
    return [(p.line, p.message) for p in info.value.problems]


# --- Valid files ------------------------------------------------------------------------------


def test_a_new_year_is_created(registry, tmp_path):
    report = population_import(file=write(tmp_path, csv_text(DIEMEN_2025, AMSTERDAM_2025)))
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    assert report.years == (2025,)
    count = PopulationCount.objects.get(municipality__code="GM0384", year=2025)
    assert count.inhabitants == 33_412
    assert count.source == "CBS 37259NED, BevolkingOp1Januari_1"
    # The new year is the latest now, for the registry's reads too.
    assert Municipality.objects.filter(code="GM0384").get().population_counts.count() == 7


def test_a_correction_updates_in_place_and_the_rest_is_unchanged(registry, tmp_path):
    lines = [
        "2024-01-01,GM0384,Diemen,PV27,Noord-Holland,33000,"
        "37259ENG,PopulationOn31December_20 (periode 2023)",
        "2023-01-01,GM0384,Diemen,PV27,Noord-Holland,32785,"
        "37259ENG,PopulationOn1January_1 (periode 2023)",
    ]
    total = PopulationCount.objects.count()
    report = population_import(file=write(tmp_path, csv_text(*lines)))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert value("GM0384", 2024) == 33_000
    assert PopulationCount.objects.count() == total
    # Importing it again changes nothing.
    again = population_import(file=write(tmp_path, csv_text(*lines)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert not again.changed
    # ... and the next load of the shipped data leaves the correction alone.
    services.reference_data_load(data_dir=settings.DATA_DIR)
    assert value("GM0384", 2024) == 33_000


def test_reimporting_the_shipped_file_changes_nothing(registry):
    report = population_import(
        file=settings.DATA_DIR / "gemeenten" / "cbs_bevolking_1jan_gemeenten_2019_2024.csv"
    )
    assert (report.rows, report.created, report.updated, report.unchanged) == (2091, 0, 0, 2091)
    assert report.years == (2019, 2020, 2021, 2022, 2023, 2024)


def test_a_given_source_is_recorded_on_every_row(registry, tmp_path):
    population_import(
        file=write(tmp_path, csv_text(DIEMEN_2025)), source="CBS StatLine 2025 (voorlopig)"
    )
    assert (
        PopulationCount.objects.get(municipality__code="GM0384", year=2025).source
        == "CBS StatLine 2025 (voorlopig)"
    )


@pytest.mark.parametrize(
    "make_file",
    [
        pytest.param(lambda text: io.StringIO(text), id="text stream"),
        pytest.param(lambda text: io.BytesIO(text.encode("utf-8")), id="binary stream"),
        pytest.param(lambda text: io.BytesIO(b"\xef\xbb\xbf" + text.encode()), id="utf-8 bom"),
        pytest.param(
            lambda text: io.BytesIO(text.replace("\n", "\r\n").encode()), id="windows lines"
        ),
    ],
)
def test_streams_are_accepted(registry, make_file):
    report = population_import(file=make_file(csv_text(DIEMEN_2025, "")))
    assert report.created == 1
    assert value("GM0384", 2025) == 33_412


def test_columns_may_come_in_any_order_with_extra_ones(registry):
    header = (
        "gm_code,inwoners,peildatum,opmerking,gemeentenaam,provincie_code,provincie,"
        "cbs_tabel,cbs_variabele"
    )
    row = "gm0384,33412,2025-01-01,voorlopig,Diemen,PV27,Noord-Holland,37259NED,Bevolking"
    population_import(file=io.StringIO(csv_text(row, header=header)))
    assert value("GM0384", 2025) == 33_412


@pytest.mark.parametrize("inhabitants", [40_000, 40_001])
def test_2000_rows_import_in_a_fixed_number_of_queries(registry, tmp_path, inhabitants):
    # Six future years for every current municipality: 2,052 rows. Imported once as new,
    # then again as a correction of every row (the second parameter) or unchanged (the first).
    current = Municipality.objects.filter(dissolved_on__isnull=True).select_related("province")

    def population_file(base: int):
        return write(
            tmp_path,
            csv_text(
                *(
                    csv_line(
                        f"{year}-01-01",
                        m.code,
                        m.name,
                        m.province.code,
                        m.province.name,
                        base + i,
                        "x",
                        "y",
                    )
                    for year in range(2025, 2031)
                    for i, m in enumerate(current)
                )
            ),
            name=f"bevolking-{base}.csv",
        )

    for path, expected in (
        (population_file(40_000), (2052, 0, 0)),
        (population_file(inhabitants), (0, 2052, 0) if inhabitants != 40_000 else (0, 0, 2052)),
    ):
        with CaptureQueriesContext(connection) as queries:
            report = population_import(file=path)
        assert (report.created, report.updated, report.unchanged) == expected
        # A handful of statements whatever the size: two reads, then batched writes.
        # Speed itself is measured in bench/ (make bench), not asserted here.
        assert len(queries) <= 20, [q["sql"][:80] for q in queries]
    assert value("GM0384", 2030) == inhabitants + list(current).index(current.get(code="GM0384"))


# --- Malformed files: refused with every problem, nothing imported ----------------------------


def test_a_missing_column_is_named(registry):
    header = HEADER.replace(",inwoners", "")
    problems = refused(
        io.StringIO(csv_text("2025-01-01,GM0384,Diemen,PV27,NH,37259NED,x", header=header))
    )
    assert problems == [(1, f"kolom(men) ontbreken: inwoners. Verwacht: {HEADER}.")]


def test_a_semicolon_file_gets_a_hint(registry):
    problems = refused(io.StringIO(csv_text(header=HEADER.replace(",", ";"))))
    ((line, message),) = problems
    assert line == 1
    assert message.startswith("kolom(men) ontbreken: peildatum, gm_code,")
    assert message.endswith("Het scheidingsteken moet een komma zijn, geen puntkomma.")


def test_an_unknown_municipality_code(registry):
    problems = refused(
        io.StringIO(
            csv_text(
                DIEMEN_2025, DIEMEN_2025.replace("GM0384", "GM9999").replace("2025", "2026", 1)
            )
        )
    )
    assert problems == [(3, "onbekende gemeentecode 'GM9999'.")]


def test_a_dissolved_municipality_has_no_later_figures(registry):
    weesp = "2023-01-01,GM0457,Weesp,PV27,Noord-Holland,21000,37259NED,Bevolking"
    problems = refused(io.StringIO(csv_text(weesp)))
    assert problems == [(2, "gemeente GM0457 bestond niet op 1 januari 2023.")]


@pytest.mark.parametrize(
    ("inhabitants", "message"),
    [
        ("abc", "inwoners 'abc' is geen geheel getal."),
        ("33.412", "inwoners '33.412' is geen geheel getal."),
        ("3e4", "inwoners '3e4' is geen geheel getal."),
        ("", "inwoners ontbreekt."),
        ("-5", "inwoners -5 is negatief."),
        ("99999999999", "inwoners 99999999999 is te groot."),
    ],
)
def test_inhabitants_must_be_a_non_negative_whole_number(registry, inhabitants, message):
    row = DIEMEN_2025.replace("33412", inhabitants)
    problems = refused(io.StringIO(csv_text(AMSTERDAM_2025, row)))
    assert problems == [(3, message)]


@pytest.mark.parametrize(
    ("peildatum", "message"),
    [
        ("2025-07-01", "peildatum 2025-07-01 is geen 1 januari."),
        ("2024-12-31", "peildatum 2024-12-31 is geen 1 januari."),
        ("01-01-2025", "peildatum '01-01-2025' is geen datum (verwacht JJJJ-01-01)."),
        ("", "peildatum '' is geen datum (verwacht JJJJ-01-01)."),
    ],
)
def test_the_peildatum_must_be_a_first_of_january(registry, peildatum, message):
    problems = refused(io.StringIO(csv_text(DIEMEN_2025.replace("2025-01-01", peildatum))))
    assert problems == [(2, message)]


def test_a_duplicate_row_names_the_first_line(registry):
    problems = refused(
        io.StringIO(csv_text(DIEMEN_2025, AMSTERDAM_2025, DIEMEN_2025.replace("33412", "1")))
    )
    assert problems == [(4, "GM0384 2025 staat ook al op regel 2.")]


def test_a_row_with_too_few_fields(registry):
    problems = refused(io.StringIO(csv_text(DIEMEN_2025, "2025-01-01,GM0363,Amsterdam")))
    assert problems == [(3, "3 velden in plaats van 8.")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "het bestand is leeg."),
        (b"\n\n", "het bestand is leeg."),
        ((HEADER + "\n").encode(), "het bestand bevat alleen een kopregel, geen gegevens."),
    ],
)
def test_an_empty_file(registry, tmp_path, content, message):
    assert refused(write(tmp_path, content)) == [(None, message)]


def test_a_file_in_the_wrong_encoding_names_the_line(registry, tmp_path):
    text = csv_text(DIEMEN_2025, "2025-01-01,GM1900,Súdwest-Fryslân,PV21,Fryslân,91000,x,y")
    problems = refused(write(tmp_path, text.encode("cp1252")))
    assert len(problems) == 1
    assert problems[0][0] == 3
    assert "UTF-8" in problems[0][1]


def test_a_text_stream_in_the_wrong_encoding(registry, tmp_path):
    path = write(tmp_path, csv_text("2025-01-01,GM1900,Súdwest-Fryslân,x,y,1,a,b").encode("cp1252"))
    with path.open(encoding="utf-8") as stream:
        ((line, message),) = refused(stream)
    assert line is None
    assert "UTF-8" in message


def test_a_column_twice_in_the_header(registry):
    problems = refused(io.StringIO(csv_text(DIEMEN_2025 + ",1", header=HEADER + ",inwoners")))
    assert problems == [(1, "kolom(men) komen dubbel voor: inwoners.")]


def test_every_problem_is_listed_with_its_line_number(registry):
    text = csv_text(
        DIEMEN_2025,
        '2025-01-01,GM0363,"Amster\ndam",PV27,Noord-Holland,942504,37259NED,x',  # lines 3-4
        "2025-02-01,GM0384,Diemen,PV27,Noord-Holland,-1,37259NED,x",  # line 5: two problems
        "",  # line 6: blank lines are skipped
        "2025-01-01,GM0000,Nergens,PV27,Noord-Holland,1,37259NED,x",  # line 7
    )
    problems = refused(io.StringIO(text))
    assert [line for line, _message in problems] == [5, 5, 7]
    assert problems[0][1] == "peildatum 2025-02-01 is geen 1 januari."
    assert problems[1][1] == "inwoners -1 is negatief."


# --- The command ------------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_counts(registry, tmp_path):
    out = StringIO()
    call_command("import-cbs", str(write(tmp_path, csv_text(DIEMEN_2025))), stdout=out)
    assert out.getvalue() == (
        "1 regel ingelezen (jaar 2025); inwonertallen nieuw: 1, bijgewerkt: 0, ongewijzigd: 0.\n"
    )
    assert value("GM0384", 2025) == 33_412

    out = StringIO()
    call_command(
        "import-cbs", str(tmp_path / "bevolking.csv"), "--source", "eigen bron", stdout=out
    )
    assert "inwonertallen nieuw: 0, bijgewerkt: 1, ongewijzigd: 0." in out.getvalue()
    assert (
        PopulationCount.objects.get(municipality__code="GM0384", year=2025).source == "eigen bron"
    )


def test_the_command_lists_every_problem_on_stderr_and_imports_nothing(registry, tmp_path):
    path = write(
        tmp_path,
        csv_text(
            DIEMEN_2025,
            AMSTERDAM_2025.replace("942504", "veel"),
            "2025-01-01,GM9999,X,PV27,NH,1,a,b",
        ),
    )
    before = population()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="Niets geïmporteerd: 2 problemen gevonden"):
        call_command("import-cbs", str(path), stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "bevolking.csv: regel 3: inwoners 'veel' is geen geheel getal.",
        "bevolking.csv: regel 4: onbekende gemeentecode 'GM9999'.",
    ]
    assert out.getvalue() == ""
    assert population() == before


def test_the_command_says_when_nothing_changed(registry, tmp_path):
    path = write(tmp_path, csv_text(DIEMEN_2025, AMSTERDAM_2025))
    population_import(file=path)
    out = StringIO()
    call_command("import-cbs", str(path), stdout=out)
    assert out.getvalue() == (
        "Niets gewijzigd: alle 2 ingelezen regels (jaar 2025) stonden er al zo in.\n"
    )


def test_the_command_refuses_a_missing_file(registry, tmp_path):
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        call_command("import-cbs", str(tmp_path / "bestaat-niet.csv"))


def test_an_import_is_audited_with_its_corrections_old_to_new(registry, tmp_path):
    from m50.core.models import AuditEvent

    before = value("GM0384", 2024)
    correction = "2024-01-01,GM0384,Diemen,PV27,Noord-Holland,33000,37259NED,BevolkingOp1Januari_1"
    lines = [correction, DIEMEN_2025]
    call_command(
        "import-cbs",
        str(write(tmp_path, csv_text(*lines))),
        operator="cbs-beheer",
        stdout=StringIO(),
    )
    event = AuditEvent.objects.get(action="population.import")
    assert (event.actor_label, event.origin) == ("cbs-beheer", "opdrachtregel (import-cbs)")
    assert (event.object_type, event.object_id) == ("municipalities.PopulationCount", "2024,2025")
    assert event.changes["GM0384 2024"] == {"old": before, "new": 33_000}
    assert event.changes["created"]["new"] == 1 and event.changes["updated"]["new"] == 1
    # Importing the same file again writes nothing, so it records nothing either.
    call_command("import-cbs", str(write(tmp_path, csv_text(*lines))), stdout=StringIO())
    assert AuditEvent.objects.filter(action="population.import").count() == 1
