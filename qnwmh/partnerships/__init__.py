"""Joint creation projects (号号联创) and mentor pairs (新老结对) between collectives."""
