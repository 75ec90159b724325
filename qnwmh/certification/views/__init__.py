"""Certification pages, one module per part (``applications``, ``reviewers``, ``workspace``,
``scoring``); ``urls`` routes them."""
