"""Guichet's engine: deadlines, legal-aid eligibility, evidence and an action plan from the rules.

Standard library only, no I/O at import: the same code runs on CPython and in Pyodide. Start with
``planner.api.run(rules, request)``.
"""
