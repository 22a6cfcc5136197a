"""``python -m kaoping.web build_maps``: write the county map (``henan.json``) that the map page
loads, from the npm package installed by ``make assets``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kaoping.web.results.maps import henan_counties


class Command(BaseCommand):
    help = "Build the county map's GeoJSON from the installed npm package."

    def handle(self, *args: Any, **options: Any) -> None:
        geojson, missing = henan_counties(Path(settings.ASSETS))
        out = Path(settings.MAPS)
        out.mkdir(parents=True, exist_ok=True)
        (out / "henan.json").write_text(
            json.dumps(geojson, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        self.stdout.write(f"{out / 'henan.json'}: {len(geojson['features'])} counties")
        if missing:
            self.stderr.write(f"no geometry for {len(missing)} counties: {', '.join(missing)}")
