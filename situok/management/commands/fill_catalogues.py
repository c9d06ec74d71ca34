"""After makemessages: the Indonesian catalogue mirrors its msgids (they are Indonesian); report the
English entries that still need a translation."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Fill the id catalogue from msgids and list untranslated en entries."

    def handle(self, *args, **options):
        base = Path(settings.LOCALE_PATHS[0])
        po = polib.pofile(str(base / "id/LC_MESSAGES/django.po"))
        for entry in po:
            # The msgids are the Indonesian text, so the Indonesian translation is always the msgid
            # itself (Indonesian has one plural form).
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
        po.metadata_is_fuzzy = False
        po.save()
        en = polib.pofile(str(base / "en/LC_MESSAGES/django.po"))
        missing = [e.msgid for e in en if not e.translated() or "fuzzy" in e.flags]
        for msgid in missing:
            self.stdout.write(f"untranslated (en): {msgid}")
        self.stdout.write(f"{len(missing)} English entries need a translation.")
