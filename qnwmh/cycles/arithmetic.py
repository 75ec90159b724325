"""The cycle's rule arithmetic, pure: the quota formula and the 2:1 certification cap."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def quota_for(base: int, k: Decimal | str | float) -> int:
    """Default formula: max(1, round(k × base)), halves rounded up (0.5 → 1, 2.5 → 3)."""
    product = Decimal(str(k)) * Decimal(base)
    return max(1, int(product.quantize(Decimal("1"), rounding=ROUND_HALF_UP)))


def cap_for(accepted: int, ratio: int) -> int:
    """Certification cap: floor(accepted registrations ÷ ratio) (ratio 2 for the policy's 2:1)."""
    if ratio < 1:
        raise ValueError("ratio must be at least 1")
    return max(0, accepted) // ratio
