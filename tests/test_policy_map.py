"""docs/policy-map.md maps every clause of SPEC §9 to its code and its tests. This test keeps
the map honest: every clause has a row, every file it names exists, every test it names
exists (and so runs in this suite)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "docs" / "policy-map.md"

# SPEC §9's clause index, written out here so that the project needs nothing outside itself,
# with the NACCC specimen's clauses, which this project added (issue 19).
CLAUSES = [
    "CHI-3",
    *[f"CHI-4.{n}" for n in range(1, 11)],
    "CHI-note",
    *[f"CHE-{n}" for n in range(1, 13)],
    "CHE-WS",
    "CHE-PO",
    *[f"CHE-DP{n}" for n in range(1, 9)],
    "CHE-SAR",
    # The NACCC specimen (docs/policy-map.md, *The NACCC specimen*): NAC-n is CHE-(n+1).
    *[f"NAC-{n}" for n in range(1, 12)],
    "NAC-WS",
    "NAC-PO",
    *[f"NAC-DP{n}" for n in range(1, 9)],
    "NAC-SAR",
]


def rows() -> dict[str, list[str]]:
    table = {}
    for line in MAP.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"(CH[IE]|NAC)-[\w.]+", cells[0]):
            table[cells[0]] = cells
    return table


def test_every_clause_has_a_row_with_code_and_tests():
    table = rows()
    missing = [c for c in CLAUSES if c not in table]
    assert not missing, f"clauses without a row in docs/policy-map.md: {missing}"
    for clause in CLAUSES:
        _, rule, code, proof = table[clause]
        assert rule and "`" in code, f"{clause}: no enforcing code named"
        assert "::" in proof, f"{clause}: no test named"


def test_every_file_named_as_enforcing_exists():
    for clause, (_, _, code, _) in rows().items():
        for path in re.findall(r"`([\w/.-]+\.py|[\w/-]+/)`", code):
            assert (ROOT / path).exists(), f"{clause}: {path} does not exist"


def test_every_test_named_exists():
    defined: dict[Path, set[str]] = {}
    for clause, (*_, proof) in rows().items():
        for path, name in re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", proof):
            file = ROOT / path
            assert file.exists(), f"{clause}: {path} does not exist"
            if file not in defined:
                tree = ast.parse(file.read_text())
                defined[file] = {
                    node.name
                    for node in ast.walk(tree)
                    if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
                }
            assert name in defined[file], f"{clause}: {path}::{name} does not exist"


def test_the_map_names_no_clause_that_spec_does_not_have():
    extra = [c for c in rows() if c not in CLAUSES]
    assert not extra, f"unknown clause IDs in the map: {extra}"
