"""Where ConvScope's bundled files are: ``resource_path("mnist_sample.npz")``.

The files live in the repository's top-level ``resources/`` folder. A wheel installs that folder
as the package ``convscope_resources`` (``pyproject.toml`` maps it), so in a source tree (a clone,
or an editable install of one) the folder next to ``engine/`` is used, and otherwise the installed
package. Every piece of code that needs a bundled file asks this one function.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["INSTALLED_PACKAGE", "ResourceMissing", "resource_path", "resources_root"]

INSTALLED_PACKAGE = "convscope_resources"
_SOURCE_ROOT = Path(__file__).resolve().parents[1]


class ResourceMissing(FileNotFoundError):
    """A bundled file is not where the installation should have put it."""


def resources_root() -> Path:
    """The folder holding the bundled files (source tree first, then the installed package)."""
    if (_SOURCE_ROOT / "pyproject.toml").is_file() and (_SOURCE_ROOT / "resources").is_dir():
        return _SOURCE_ROOT / "resources"
    spec = importlib.util.find_spec(INSTALLED_PACKAGE)
    if spec is None or spec.origin is None:
        raise ResourceMissing(f"ConvScope's resources (package {INSTALLED_PACKAGE}) are not installed; "
                              "reinstall ConvScope")
    return Path(spec.origin).resolve().parent


def resource_path(name: str, must_exist: bool = False) -> Path:
    """The path of bundled file ``name`` (``/``-separated, e.g. ``"icons/convscope.svg"``).

    With ``must_exist`` a missing file raises ``ResourceMissing``; otherwise the caller reports it.
    """
    try:
        path = resources_root().joinpath(*name.split("/"))
    except ResourceMissing:
        if must_exist:
            raise
        return Path(INSTALLED_PACKAGE, *name.split("/"))
    if must_exist and not path.is_file():
        raise ResourceMissing(f"{path} is missing; reinstall ConvScope")
    return path
