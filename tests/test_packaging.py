"""What a wheel holds: every package of the tree and every resource, found through ``resource_path``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.resources import ResourceMissing, resource_path, resources_root

ROOT = Path(__file__).resolve().parents[1]
#: Files in resources/ that stay in the repository (tools for maintaining the resources).
REPO_ONLY = {"icons/render_pngs.py", "make_fashion_sample.py"}

tomllib = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")


def _setuptools_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def tree_packages() -> set[str]:
    """Every package (a folder with ``__init__.py``) under engine/ and gui/, dotted."""
    return {".".join(p.parent.relative_to(ROOT).parts) for top in ("engine", "gui")
            for p in (ROOT / top).rglob("__init__.py") if "__pycache__" not in p.parts}


def resource_files() -> list[str]:
    """Every file of resources/ that the installed package must hold, ``/``-separated."""
    return sorted(p.relative_to(ROOT / "resources").as_posix() for p in (ROOT / "resources").rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts
                  and p.relative_to(ROOT / "resources").as_posix() not in REPO_ONLY)


def test_the_package_list_names_every_package_of_the_tree():
    listed = set(_setuptools_config()["packages"])
    assert tree_packages() == listed - {"convscope_resources"}
    assert _setuptools_config()["package-dir"] == {"convscope_resources": "resources"}


def test_the_package_data_patterns_cover_every_resource():
    from fnmatch import fnmatch

    patterns = _setuptools_config()["package-data"]["convscope_resources"]
    missed = [name for name in resource_files()
              if name != "__init__.py" and not any(fnmatch(name, pattern) and name.count("/") == pattern.count("/")
                                                   for pattern in patterns)]
    assert missed == []
    assert "mnist_sample.npz" in resource_files() and "icons/convscope.svg" in resource_files()


def test_resources_come_from_the_source_tree_here():
    assert resources_root() == ROOT / "resources"
    assert resource_path("mnist_sample.npz", must_exist=True) == ROOT / "resources" / "mnist_sample.npz"
    assert resource_path("icons/convscope-16.png").is_file()
    with pytest.raises(ResourceMissing, match="no-such-file.bin is missing; reinstall ConvScope"):
        resource_path("no-such-file.bin", must_exist=True)


def test_the_sample_loader_uses_resource_path():
    from engine.data import samples

    assert samples.SAMPLE_FILE == resource_path("mnist_sample.npz")
