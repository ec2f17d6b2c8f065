"""Mutation testing of the modules where the rules are (issue 21; docs/mutation.md).

    python scripts/mutation.py                       # every module below (make mutation)
    python scripts/mutation.py families/scheduling.py  # one or more of them

Each module is mutated by mutmut and each of its mutants runs against that module's own test
files only (MODULES below, the one place that says which), on SQLite. Every module runs in its
own scratch folder, .mutation/<module>/, holding links to the project and a pyproject.toml
with the [tool.mutmut] section for that module, so the runs do not share results. The scratch
folders are rebuilt on every run, so the score is always that of the tests as they are.

A mutant is killed when a test fails (or times out) with it; it survives when every test
passes, or when no test of the module runs its code. EQUIVALENT lists the survivors that no
test can kill, because the mutated code behaves exactly as the original, each with why. The
score of a module is killed / (mutants - equivalent); the run fails under 95% overall, and
when a mutant listed as equivalent was killed (the list is then out of date).

Not part of CI: it takes long (docs/mutation.md says how long).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutation"
TARGET = 0.95

# The module mutated -> the test files its mutants run against.
MODULES: dict[str, list[str]] = {
    "disclosures/policy.py": [
        "tests/disclosures/test_policy.py",
        "tests/disclosures/test_policy_naccc.py",
        "tests/disclosures/test_policy_variants.py",
    ],
    "cccc/access.py": ["tests/cccc/test_access.py"],
    "families/access.py": ["tests/families/test_access.py", "tests/cccc/test_access.py"],
    "volunteers/access.py": ["tests/volunteers/test_access.py", "tests/cccc/test_access.py"],
    "disclosures/access.py": ["tests/disclosures/test_access.py"],
    "disclosures/legal_access.py": ["tests/disclosures/test_access.py"],
    "retention/access.py": ["tests/retention/test_access.py"],
    "retention/rules.py": ["tests/retention/test_rules.py"],
    "retention/holds.py": ["tests/retention/test_holds.py"],
    "families/scheduling.py": [
        "tests/families/test_scheduling_parts.py",
        "tests/families/test_scheduling.py",
    ],
    "families/booking_rules.py": ["tests/families/test_booking_rules.py"],
    "cccc/crypto.py": ["tests/cccc/test_crypto.py", "tests/cccc/test_encryption.py"],
}

# Survivors that behave exactly as the original: mutant name -> why no test can kill it.
EQUIVALENT: dict[str, str] = {
    "families.booking_rules.x__overlapping__mutmut_5": (
        '`order_by("starts_at", "pk")` -> `order_by("starts_at")`: pk only orders two'
        " sessions that start together; SQLite returns those in the order they were written"
        " (pk order) either way, so the message names them alike (on PostgreSQL the pk keeps"
        " the order fixed)"
    ),
    "families.booking_rules.x_room_problems__mutmut_17": (
        "`b.start > start` -> `b.start >= start` in the moments counted: a session starting with"
        " the new one adds the new one's start a second time, where the count is the same"
    ),
    "cccc.access.x_centre_id_of__mutmut_1": (
        "`cast(int, ...)` -> `cast(None, ...)`: typing.cast returns its value unchanged whatever"
        " the type named, so the centre id read is the same (only the type checker sees a cast)"
    ),
    "disclosures.access.x_get_break_glass_for_chair__mutmut_5": (
        "`pk=pk` -> `pk=None` in the lookup for a reader who is not the chair: it looks in"
        " `DisclosureRequest.objects.none()`, which is a 404 whatever it is asked for"
    ),
    "disclosures.access.x_get_break_glass_for_chair__mutmut_7": (
        "`pk=pk` dropped from the same lookup in the empty queryset: still always a 404"
    ),
    "families.scheduling.x_find_clashes__mutmut_23": (
        "drops `adult_id__in=partner_ids` from the day's bookings: the loop then reads the other"
        " adults booked that day too, but skips every pair not in `pairs`, so the clashes found"
        " are the same (the filter only narrows the rows read, in the same one query)"
    ),
}

# What each scratch folder links to: the apps (the code mutmut copies and mutates) and what
# the tests need beside them.
# Every app of the project (each top-level folder with an apps.py), so a new app is never left out.
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
ALSO = ["templates", "static", "manage.py"]

KILLED = {"killed", "timeout", "caught by type check"}


def _slug(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def _prepare(module: str) -> Path:
    folder = SCRATCH / _slug(module)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in [*APPS, *ALSO, "tests"]:
        (folder / name).symlink_to(ROOT / name)
    config = (ROOT / "pyproject.toml").read_text()
    config += (
        "\n[tool.mutmut]\n"
        f"source_paths = {_toml_list(APPS)}\n"
        f"only_mutate = {_toml_list([module])}\n"
        f"also_copy = {_toml_list(ALSO)}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(MODULES[module])}\n"
        # No migrations: on SQLite they only build the tables (their data steps are for
        # PostgreSQL), and building them directly makes each mutant's run several times faster.
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "--nomigrations"]\n'
        "use_git_change_detection = false\n"
        # A run that takes too long counts as killed: on a machine shared with others, only a
        # generous limit keeps a slow surviving run from passing for a timeout.
        "timeout_multiplier = 100.0\n"
    )
    (folder / "pyproject.toml").write_text(config)
    return folder


def _run(module: str, children: int) -> dict[str, str]:
    """Mutate one module; return each mutant's status."""
    folder = _prepare(module)
    env = {**os.environ, "DATABASE_URL": "", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DATABASE_URL")  # SQLite, whatever the shell says
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(children)]
    log = folder / "mutmut.log"
    with log.open("w") as out:
        done = subprocess.run(command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    meta = folder / "mutants" / (module + ".meta")
    if done.returncode != 0 or not meta.exists():
        sys.exit(f"mutmut failed on {module} (exit {done.returncode}); see {log}")
    from mutmut.stats import status_by_exit_code

    codes = json.loads(meta.read_text())["exit_code_by_key"]
    return {name: status_by_exit_code[code] for name, code in codes.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all of MODULES)")
    parser.add_argument("--children", type=int, default=2, help="mutants run at once")
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"not in MODULES: {', '.join(unknown)}")

    import mutmut

    print(f"mutmut {mutmut.__version__}; each mutant against its module's own tests (SQLite)")
    total_killed = total_counted = 0
    stale = []
    began = time.monotonic()
    rows = []
    for module in modules:
        started = time.monotonic()
        statuses = _run(module, args.children)
        equivalent = {name for name in statuses if name in EQUIVALENT}
        stale += [name for name in equivalent if statuses[name] in KILLED]
        counted = {name: s for name, s in statuses.items() if name not in equivalent}
        killed = sum(1 for s in counted.values() if s in KILLED)
        total_killed += killed
        total_counted += len(counted)
        score = killed / len(counted) if counted else 1.0
        took = time.monotonic() - started
        rows.append(
            f"| {module} | {len(statuses)} | {len(equivalent)} | {killed} / {len(counted)} "
            f"| {score:.1%} | {took / 60:.1f} min |"
        )
        print(rows[-1], flush=True)
        for name, status in sorted(counted.items()):
            if status not in KILLED:
                print(f"    {status}: {name}", flush=True)
    overall = total_killed / total_counted if total_counted else 1.0
    print()
    print("| module | mutants | equivalent | killed / non-equivalent | score | time |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(
        f"| **overall** | | | {total_killed} / {total_counted} | {overall:.1%} "
        f"| {(time.monotonic() - began) / 60:.1f} min |"
    )
    for name in stale:
        print(f"listed as equivalent but killed (remove it from EQUIVALENT): {name}")
    return 0 if overall >= TARGET and not stale else 1


if __name__ == "__main__":
    sys.exit(main())
