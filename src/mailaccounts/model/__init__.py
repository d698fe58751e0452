"""The pure account model: no Qt, no I/O.

Import from the submodules: ``core`` needs no pydantic (start-up path),
``account`` and ``validation`` do.
"""
