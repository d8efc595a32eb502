"""Translation stage: gettext catalogs of the French strings (extraction, catalogs, languages, coverage)."""
