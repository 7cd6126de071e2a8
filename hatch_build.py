"""Build hook: put the top-level data folders into standard wheels only.

An editable install must read catalogue/ (and the rest) in place, so edits show at once; a
standard wheel, installed anywhere, has no source tree beside it and so carries copies
(optimizer/paths.py finds either).
"""

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLED = {
    "catalogue": "optimizer/_catalogue",
    "scenarios": "optimizer/_scenarios",
    "benchmarks/presets": "optimizer/_presets",  # programme solve --preset NAME
    "benchmarks/instances": "optimizer/_instances",  # programme bench with no instances named
    "schemas": "optimizer/_schemas",  # the published JSON Schemas (optimizer.schemas)
}


class CatalogueHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name == "wheel" and version == "standard":
            build_data["force_include"].update(BUNDLED)
