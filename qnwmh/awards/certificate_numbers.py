"""Certificate numbers (证书编号): ``ZS`` + the year issued (4 digits) + a serial of at least 5
digits + one check character, e.g. ``ZS202600042K``.

The serial is the certificate row's own id, so two clerks (or the demo, or a nomination's
package) issuing at the same moment can never draw the same number without a lock. The check
character is ``ALPHABET[Σ (i+1)·digitᵢ mod 31]`` over the year and serial digits: 31 is prime
and the weights differ, so any one mistyped digit and any swap of two neighbouring digits
changes it — a number copied wrong from paper answers "no such certificate", not another
collective's. The letters avoid 0/O/1/I/L as our other codes do.
"""

from __future__ import annotations

import re
import unicodedata

from qnwmh.core.codes import ALPHABET

PREFIX = "ZS"
SERIAL_DIGITS = 5
_SHAPE = re.compile(rf"^{PREFIX}(\d{{4}})(\d{{{SERIAL_DIGITS},}})([{ALPHABET}])$")


def check_char(digits: str) -> str:
    return ALPHABET[sum((i + 1) * int(d) for i, d in enumerate(digits)) % len(ALPHABET)]


def number_for(year: int, serial: int) -> str:
    digits = f"{year:04d}{serial:0{SERIAL_DIGITS}d}"
    return f"{PREFIX}{digits}{check_char(digits)}"


def normalise(raw: str) -> str:
    """As typed from paper: full-width folded, spaces and dashes dropped, upper case."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", raw).upper() if ch not in " -\t")


def looks_like_number(code: str) -> bool:
    """Meant as a certificate number, whether or not its check holds: ``ZS``, twelve or more
    characters, digits up to the last. A collective's code never has a ``0`` (nor a ``1``) and a
    year 20xx always does, so the two kinds of codes never meet at /verify/<code>/."""
    body = code[len(PREFIX) : -1]
    return code.startswith(PREFIX) and len(code) >= 12 and body.isdigit() and "0" in body


def is_well_formed(code: str) -> bool:
    m = _SHAPE.match(code)
    return bool(m) and check_char(m.group(1) + m.group(2)) == m.group(3)  # type: ignore[union-attr]
