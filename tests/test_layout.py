"""The direction of imports (README, Layout): the core imports no app, and the apps import each
other one way only, with the pages that span apps (overview/) and the benchmarks and demo data
(tools/) on top. Read from the source with `ast`, so nothing is imported to check it.

The order, from the bottom: cccc, families, volunteers, disclosures, retention, then overview and
tools, which nothing imports.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["cccc", "families", "volunteers", "disclosures", "retention", "overview", "tools"]
DOMAIN_AND_TOP = ["families", "volunteers", "disclosures", "retention", "overview", "tools"]


def modules(app: str, root: Path = ROOT):
    """Every Python module of the app, migrations left out (they name other apps' models by
    string, and Django writes them)."""
    for path in sorted((root / app).rglob("*.py")):
        if "migrations" not in path.relative_to(root).parts:
            yield path


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for each absolute import in the file, inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def app_graph(root: Path = ROOT) -> dict[str, dict[str, list[str]]]:
    """{app: {app it imports: ["path:line module", ...]}}."""
    graph: dict[str, dict[str, list[str]]] = {app: defaultdict(list) for app in APPS}
    for app in APPS:
        for path in modules(app, root):
            for line, module in imported(path):
                top = module.split(".")[0]
                if top in APPS and top != app:
                    where = f"{path.relative_to(root)}:{line} {module}"
                    graph[app][top].append(where)
    return graph


def find_cycle(graph: dict[str, dict[str, list[str]]]) -> list[str] | None:
    """One cycle of the graph as [a, b, ..., a], or None if there is none."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" after

    def visit(app: str, path: list[str]) -> list[str] | None:
        state[app] = "open"
        for other in sorted(graph[app]):
            if state.get(other) == "open":  # on the current path: a cycle
                return [*path[path.index(other) :], app, other]
            if other not in state and (cycle := visit(other, [*path, app])):
                return cycle
        state[app] = "done"
        return None

    for app in APPS:
        if app not in state and (cycle := visit(app, [])):
            return cycle
    return None


def describe(graph, cycle: list[str]) -> str:
    arrows = []
    for a, b in zip(cycle, cycle[1:], strict=False):
        arrows.append(f"{a} -> {b}: " + "; ".join(graph[a][b][:3]))
    return "Import cycle between apps: " + " -> ".join(cycle) + "\n" + "\n".join(arrows)


def test_the_core_imports_no_app_not_even_inside_a_function():
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in modules("cccc")
        for line, module in imported(path)
        if module.split(".")[0] in DOMAIN_AND_TOP
    ]
    assert not offending, "cccc/ must import no app:\n" + "\n".join(offending)


def test_the_apps_import_each_other_one_way_only():
    graph = app_graph()
    cycle = find_cycle(graph)
    assert cycle is None, describe(graph, cycle)


def test_no_app_imports_the_overview_pages_or_the_tools():
    graph = app_graph()
    for top in ["overview", "tools"]:
        importers = {app: graph[app][top] for app in APPS if graph[app].get(top)}
        assert not importers, f"{top}/ is imported by {importers}"


def test_template_tags_import_no_app_so_run_no_query():
    """A page's data is read in its view, through the access helpers; a template tag only
    displays what the view passes."""
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for app in APPS
        for path in (ROOT / app).glob("templatetags/*.py")
        for line, module in imported(path)
        if module.split(".")[0] in APPS
    ]
    assert not offending, "\n".join(offending)


def test_the_cycle_finder_finds_a_cycle_and_names_the_imports():
    graph = {app: defaultdict(list) for app in APPS}
    graph["families"]["volunteers"].append("families/x.py:1 volunteers.services")
    graph["volunteers"]["families"].append("volunteers/y.py:2 families.models")
    graph["disclosures"]["families"].append("disclosures/z.py:3 families.models")
    cycle = find_cycle(graph)
    assert cycle == ["families", "volunteers", "families"]
    assert "families/x.py:1 volunteers.services" in describe(graph, cycle)
    del graph["volunteers"]["families"]
    assert find_cycle(graph) is None
