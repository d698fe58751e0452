"""Code for a fresh process (``python -c``) that starts the window exactly as
the ``mailaccounts`` command does and calls ``shown()`` — which the code put
before it defines — when the account list first paints. Used by
benchmarks/run.py to time the start and by tests/gui/test_start.py to see
what the start has loaded.

The hook goes in as the window's module loads (a finder asked before the
usual ones), so nothing of Qt or of the window is imported ahead of
``main()``, which decides that the window is wanted, imports Qt and makes
the QApplication. Arguments: the store's path."""

CONSOLE_START = """
from importlib.machinery import PathFinder

from mailaccounts.__main__ import main


class WatchFirstPaint:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "mailaccounts.gui.main_window":
            return None
        sys.meta_path.remove(WatchFirstPaint)
        spec = PathFinder.find_spec(name, path)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            init = module.MainWindow.__init__

            def watched(self, ctx):
                init(self, ctx)
                self.table.first_painted.connect(shown)

            module.MainWindow.__init__ = watched

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, WatchFirstPaint)
sys.argv[1:] = ["--store", sys.argv[1]]
sys.exit(main())
"""
