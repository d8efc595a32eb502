"""Site stage: one MkDocs build per language (mkdocs.yml + a per-language overlay; pages rendered from docs/ by hooks.py)."""
