"""Rules stage: read and check rules/*.yaml, write the bundle (build/rules.json) the engine runs on."""
from scripts.rules.bundle import load_rules, write_bundle
from scripts.rules.yamlsource import RuleError

__all__ = ["RuleError", "load_rules", "write_bundle"]
