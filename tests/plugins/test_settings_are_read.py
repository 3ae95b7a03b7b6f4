"""Dead settings guard (issue 19 §2.4): every field of every installed plugin's settings schema is read by its code.

A setting no code reads is a lie to the tenant admin who sets it. A field counts as read when the plugin's own
package, outside the settings module, loads it as an attribute (``settings.warranty_months``) or names it in a
string (``getattr(settings, "warranty_months")``, a ``Field`` lookup). Tests and the settings module do not count:
a validator that checks a value nobody uses still decides nothing.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from aftersales.plugins import build_plugin_registry

REGISTRY = build_plugin_registry()
INSTALLED = ("appliances", "auto_service", "electronics", "industrial")


def _names_read(package: Path, settings_module: Path) -> set[str]:
    """Attribute loads and string constants in the package's sources, the settings module left out."""
    read: set[str] = set()
    for source in package.rglob("*.py"):
        if source.resolve() == settings_module.resolve() or "tests" in source.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                read.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                read.add(node.value)
    return read


def test_every_seed_vertical_is_installed():
    assert set(INSTALLED) <= set(REGISTRY.verticals()), REGISTRY.failures


@pytest.mark.parametrize("plugin", INSTALLED)
def test_every_setting_of_the_plugin_is_read_by_its_code(plugin: str):
    schema = REGISTRY.info(plugin).settings_schema
    settings_module = Path(inspect.getsourcefile(schema) or "")
    package = settings_module.parent
    read = _names_read(package, settings_module)
    unread = [name for name in schema.model_fields if name not in read]
    assert unread == [], (
        f"plugin {plugin!r}: settings {', '.join(unread)} of {schema.__name__} are read by no code in {package} "
        "outside its settings module; wire each into the rule it names, or remove it"
    )


def test_the_guard_sees_a_setting_read_only_by_its_own_validator_or_a_test_as_unread(tmp_path):
    package = tmp_path / "aftersales_boats"
    (package / "tests").mkdir(parents=True)
    (package / "settings.py").write_text("class S:\n    haul_out_days: int = 3\n    def check(self):\n"
                                         "        return self.haul_out_days > 0 and self.dock_fee_minor\n")
    (package / "rules.py").write_text("def due(settings):\n    return settings.dock_fee_minor\n")
    (package / "tests" / "test_rules.py").write_text("def test(s):\n    assert s.haul_out_days\n")
    read = _names_read(package, package / "settings.py")
    assert "dock_fee_minor" in read and "haul_out_days" not in read
