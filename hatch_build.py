"""Build hook: put the top-level catalogue/ data (and example scenarios) into standard wheels only.

An editable install must read catalogue/ in place (edits show at once); a standard wheel,
installed anywhere, has no source tree beside it and so carries a copy as
optimizer/_catalogue.
"""

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name == "wheel" and version == "standard":
            build_data["force_include"]["catalogue"] = "optimizer/_catalogue"
            build_data["force_include"]["scenarios"] = "optimizer/_scenarios"
