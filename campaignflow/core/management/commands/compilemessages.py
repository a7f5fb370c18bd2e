"""compilemessages that also works without GNU gettext's msgfmt (pure Python via polib).

A fresh machine with only Python, Node.js and git has no msgfmt; Django's command would fail
there, so we fall back to compiling each .po with polib.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.commands.compilemessages import Command as DjangoCompileMessages


class Command(DjangoCompileMessages):
    def handle(self, **options):
        if shutil.which("msgfmt"):
            return super().handle(**options)
        import polib

        roots = [Path(p) for p in settings.LOCALE_PATHS]
        for po_path in (p for root in roots for p in root.rglob("*.po")):
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                if options.get("verbosity", 1) > 0:
                    self.stdout.write(f"compiled {po_path} (polib)")
        return None
