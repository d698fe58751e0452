import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

# the sources; the package ships the .qm beside them (tests/gui/test_packaging.py)
I18N = Path(__file__).resolve().parents[2] / "src" / "mailaccounts" / "i18n"


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_string_has_a_finished_translation(language: str) -> None:
    ts = I18N / f"mailaccounts_{language}.ts"
    messages = list(ET.parse(ts).getroot().iter("message"))
    unfinished = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") in ("unfinished", "obsolete")  # type: ignore[union-attr]
    ]
    assert messages and unfinished == []
    assert ts.with_suffix(".qm").stat().st_size > 0
