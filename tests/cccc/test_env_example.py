"""`.env.example` lists every variable the settings read (the README promises it)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_variable_read_by_the_settings_is_in_env_example():
    settings = (ROOT / "cccc" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings))
    names |= set(re.findall(r'_setting\("([A-Z][A-Z0-9_]+)"\)', settings))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert len(names) > 20
    assert names <= listed, f"missing from .env.example: {sorted(names - listed)}"
