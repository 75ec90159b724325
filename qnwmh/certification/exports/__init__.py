"""Certification spreadsheets: the applications list and the scores list."""
