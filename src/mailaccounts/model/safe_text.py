"""Text meant for a terminal, made harmless.

Server replies, certificate names, stored names and file names can carry
characters a terminal obeys rather than shows: ESC starts sequences that set
the window title or clear the screen, C1 controls do the same in one byte,
bidi controls reorder what follows, U+2028/U+2029 break lines. Each is
replaced by a visible escape (``\\x1b``, ``\\u202e``), so an admin sees that
something was there. The same characters the model refuses in stored text
(``model.core.UNSAFE_CHARS``). No Qt, no pydantic: the CLI imports this at start.
"""

from __future__ import annotations

import re

from .core import UNSAFE_CHARS

_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")
_UNSAFE_KEEPING_NEWLINES = re.compile(f"(?!\n)[{UNSAFE_CHARS}]")


def escape_char(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str, *, newlines: bool = False) -> str:
    """*text* with every control, bidi and separator character shown as an
    escape. With *newlines*, ``\\n`` stays: for text whose line breaks are
    our own, never for a value that came from elsewhere."""
    pattern = _UNSAFE_KEEPING_NEWLINES if newlines else _UNSAFE
    return pattern.sub(lambda match: escape_char(match.group()), text)
