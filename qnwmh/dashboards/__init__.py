"""Dashboards and the annual report: the programme's figures for the city and each body, as charts with their tables, Excel and JSON."""
