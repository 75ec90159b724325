"""Consultations (征求意见): drafts in sections, a roster of respondents, comments and their dispositions."""
