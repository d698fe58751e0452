"""Every text the program shows has a finished translation: the test collects
the texts from the sources with pyside6-lupdate, as scripts/update-translations
does, into a copy of each .ts — so a new label without its German fails here,
not only after someone ran the script."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# the sources; the package ships the .qm beside them (tests/gui/test_packaging.py)
I18N = REPO / "src" / "mailaccounts" / "i18n"


def collected(ts: Path, tmp_path: Path, plural_only: bool) -> Path:
    copy = tmp_path / ts.name
    shutil.copyfile(ts, copy)
    sources = sorted(str(p) for p in (REPO / "src" / "mailaccounts").rglob("*.py"))
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    options = ["-no-obsolete", *(["-pluralonly"] if plural_only else [])]
    subprocess.run(
        [str(lupdate), *options, *sources, "-ts", str(copy)],
        check=True,
        capture_output=True,
        text=True,
    )
    return copy


def child(message: ET.Element, tag: str) -> ET.Element:
    """The *tag* element of *message*, which every message of a .ts file has."""
    found = message.find(tag)
    assert found is not None, f"a message without <{tag}>"
    return found


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_text_in_the_sources_has_a_finished_translation(
    language: str, tmp_path: Path
) -> None:
    ts = I18N / f"mailaccounts_{language}.ts"
    current = collected(ts, tmp_path, plural_only=language == "en")
    messages = list(ET.parse(current).getroot().iter("message"))
    unfinished = [
        (
            m.findtext("source"),
            location.get("filename") if (location := m.find("location")) is not None else "",
        )
        for m in messages
        if child(m, "translation").get("type") in ("unfinished", "obsolete")
    ]
    assert messages and unfinished == [], "run scripts/update-translations and translate these"
    # the shipped .qm is the compiled .ts
    compiled = tmp_path / "compiled.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(ts), "-qm", str(compiled)], check=True, capture_output=True)
    assert ts.with_suffix(".qm").read_bytes() == compiled.read_bytes()
