"""The Vietnamese catalogue is complete, compiled and consistent with the code (scripts/i18n.sh keeps it so)."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import ROOT
from pipeline.i18n import LOCALEDIR

PO = LOCALEDIR / "vi" / "LC_MESSAGES" / "cchc.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"\{[a-z_]*(?:![rs])?\}|%\([a-z_]+\)s")


def _code_messages() -> set[str]:
    found = set()
    for folder in ("cchc", "pipeline", "flows"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, METHODS, keywords=KEYWORDS, options_map={"**/templates/**.html": {
                    "extensions": "jinja2.ext.i18n"}}):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue():
    with open(PO, "rb") as f:
        return read_po(f)


def test_every_message_of_the_code_is_translated():
    catalogue = _catalogue()
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in catalogue if m.id}
    missing = sorted(m for m in _code_messages() if not (translated.get(m) if not isinstance(translated.get(m), tuple)
                                                          else translated[m][0]))
    assert not missing, f"untranslated (run scripts/i18n.sh and translate {PO.relative_to(ROOT)}): {missing}"


def test_translations_keep_the_placeholders():
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) <= wanted, (message.id, s)
            if len(ids) == 1:
                assert set(PLACEHOLDER.findall(s)) == wanted, (message.id, s)


def test_the_compiled_catalogue_is_the_po():
    def entries(catalogue):
        return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
                tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string for m in catalogue if m.id}

    with open(MO, "rb") as f:
        compiled = entries(read_mo(f))
    source = entries(m for m in _catalogue() if not m.fuzzy)
    assert compiled == source, "the .mo is stale: run scripts/i18n.sh"


def test_the_catalogue_ships_with_the_package():
    assert PO.exists() and MO.exists()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "locales/*/LC_MESSAGES/*.mo" in pyproject and "templates/*.html" in pyproject
    assert Path(ROOT / "babel.cfg").exists()
