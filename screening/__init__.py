"""Barrier's screening engine: pure Python, no Flask, no SQLAlchemy.

Sub-packages: ``matching`` (register matching), ``checklists`` (Bibob risk checklists as data),
``report`` (PDF documents), ``planning`` (inspection risk scores and plans), ``signals`` (the
signal catalogue and the Drenthe meldroute), plus ``deadlines`` (beslistermijn arithmetic) and
``housing`` (housing-norm checks).
"""
