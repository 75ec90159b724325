"""Certification services, one module per part (``applications``, ``reviewers``, ``assignment``, ``scoring``)."""
