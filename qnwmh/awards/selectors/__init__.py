"""Selectors of the awards app, one module per part."""
