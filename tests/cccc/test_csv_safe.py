"""Formula injection in CSV exports (issue 19, point 4): a cell that a spreadsheet would run
as a formula is written as text, in every CSV the application writes."""

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from cccc.csv_safe import csv_writer, looks_like_formula, safe_cell

ROOT = Path(__file__).resolve().parents[2]
APPS = ["cccc", "families", "volunteers", "disclosures", "retention", "overview", "tools"]


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("x")', "+SUM(A1)", "-2+3", "@cmd", "\t=1+1", "\r=1+1", "  =1+1", "=", "-"],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(text):
    assert safe_cell(text) == "'" + text
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["Hartley & Shaw", "07700 900123", "a=b", "", "'quoted"])
def test_other_text_is_written_as_it_is(text):
    assert safe_cell(text) == text


def test_numbers_stay_numbers_and_none_is_an_empty_cell():
    assert safe_cell(-5) == -5
    assert safe_cell(2.5) == 2.5
    assert safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_the_writer_neutralises_every_cell_of_every_row():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(['=HYPERLINK("http://x","y")', "plain", 3])
    writer.writerows([["@SUM(1)"], ["-1+1"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [['\'=HYPERLINK("http://x","y")', "plain", "3"], ["'@SUM(1)"], ["'-1+1"]]


def calls_to_csv_writer(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in {"writer", "DictWriter"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "csv"
    ]


def test_no_module_writes_csv_but_through_the_safe_writer():
    """Every export uses cccc.csv_safe.csv_writer, so none can forget a cell."""
    offending = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if path.relative_to(ROOT) != Path("cccc/csv_safe.py")
        for line in calls_to_csv_writer(path)
    ]
    assert offending == []


def test_the_check_finds_a_direct_call(tmp_path):
    module = tmp_path / "export.py"
    module.write_text("import csv\n\ndef f(out):\n    return csv.writer(out)\n")
    assert calls_to_csv_writer(module) == [4]
