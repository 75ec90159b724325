"""The bare Django reference of ``bench/run.py``: the least a Django page can cost here.

A separate minimal project on the same venv and the same database as the platform under bench:
only SessionMiddleware and AuthenticationMiddleware, one indexed query (the same one as the
platform's floor ``/-/floor/``), a JsonResponse. It reads the platform's own user and
organisation tables through unmanaged models and keeps its sessions in the same session table,
so the platform's floor can be compared with what Django itself costs on this machine.
"""
