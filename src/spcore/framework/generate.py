"""Regenerate everything derived from the dataset definition.

Run ``python -m spcore.framework.generate`` after changing a model or a
codelist CSV. It rewrites:

* ``src/spcore/framework/enums.py`` (the codelist enums);
* ``schemas/*.schema.json`` and the bundled copies in ``src/spcore/schemas/``;
* ``src/spcore/schemas/index.json``, what walking those schemas finds
  (:mod:`spcore.schemas.index`).

The test suite regenerates the same files in memory and fails when a
committed copy differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from spcore.framework.codelists import render_enums_module

REGENERATE_COMMAND = "python -m spcore.framework.generate"


def generated_files(repo_root: Path) -> dict[Path, str]:
    """Every generated file, by path under ``repo_root``, with its expected text."""
    # Imported here: building schemas imports the models, which import the
    # enums this function may be about to (re)write.
    from spcore.framework.schema_build import build_all, dumps, file_name
    from spcore.schemas import index

    bundled = repo_root / "src" / "spcore" / "schemas"
    files: dict[Path, str] = {
        repo_root / "src" / "spcore" / "framework" / "enums.py": render_enums_module(),
    }
    built = build_all()
    for name, schema in built.items():
        text = dumps(schema)
        files[repo_root / "schemas" / file_name(name)] = text
        files[bundled / file_name(name)] = text
    # Walked from the schemas just built, not the bundled copies being replaced.
    files[bundled / index.FILE_NAME] = index.dumps(index.build_index(built))
    return files


def main(argv: list[str] | None = None) -> int:
    """Write the generated files; return 0."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[3]
    enums_path = root / "src" / "spcore" / "framework" / "enums.py"
    # The enums come first: the schemas are built from models that import them.
    enums_path.write_text(render_enums_module(), encoding="utf-8")
    for path, text in generated_files(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
