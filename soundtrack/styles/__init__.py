"""Styles as data: one TOML file per style in this folder (placeholder, being written)."""

from __future__ import annotations

from importlib import resources

__all__ = ["style_ids"]


def style_ids() -> tuple[str, ...]:
    """Ids of the built-in styles (file stems of ``soundtrack/styles/*.toml``), sorted."""
    folder = resources.files(__name__)
    return tuple(sorted(item.name[: -len(".toml")] for item in folder.iterdir() if item.name.endswith(".toml")))
