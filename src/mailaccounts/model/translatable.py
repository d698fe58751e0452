"""Marking English texts for translation where Qt is not imported.

``pyside6-lupdate`` finds ``QT_TRANSLATE_NOOP("context", "text")`` calls in
any module; at run time the call returns the text unchanged, and a Qt front
end translates it later with ``QCoreApplication.translate(context, text)``.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text
