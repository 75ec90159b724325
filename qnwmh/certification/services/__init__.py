"""Certification services, one module per part (``services/<part>.py``)."""
