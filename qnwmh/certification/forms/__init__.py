"""Certification forms, one module per part."""
