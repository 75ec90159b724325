"""Put every collective photo stored before the image pipeline through it (re-encoded, no
EXIF/GPS, random name; refused ones cleared). Run once after upgrading; safe to run again
(an already clean photo is simply re-encoded)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.collectives.models import Collective
from qnwmh.collectives.services import collective_photo_reclean
from qnwmh.core.actor import system_actor


class Command(BaseCommand):
    help = "Re-encode collective photos stored before the image pipeline (strips EXIF/GPS)."

    def handle(self, *args: Any, **options: Any) -> None:
        actor = system_actor()
        outcomes: Counter[str] = Counter()
        for collective in Collective.objects.exclude(photo="").order_by("pk").iterator():
            outcomes[collective_photo_reclean(actor, collective=collective)] += 1
        self.stdout.write(
            "photos: {cleaned} cleaned, {cleared} cleared, {missing} missing".format(
                cleaned=outcomes["cleaned"],
                cleared=outcomes["cleared"],
                missing=outcomes["missing"],
            )
        )
