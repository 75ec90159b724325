"""Shared state for the demo builders: each app's ``demo.py`` gets one ``DemoContext``."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

DEMO_PASSWORD = "Hongqi-Demo-2026"


@dataclass
class DemoContext:
    seed: int = 2018
    today: datetime.date = field(default_factory=timezone.localdate)
    rng: random.Random = field(init=False)
    # Filled as builders run, for the builders after them.
    city: Any = None
    bodies: dict[str, Any] = field(default_factory=dict)
    collectives: list[Any] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
