"""Every output byte of the benchmark articles, as one digest per file: the check that a
refactoring changed no output.

Translates `benchmarks/articles/*.txt`, `benchmarks/heldout/*.txt` and `seeds/*.txt` with the
bundled bergamot model (en → pt, the seed glossary, every format) into a fresh folder, then a
second time with `--force` after a reviewer's edit and approval, and prints one line per output
file, `SHA256  PATH`, with the lines that differ from run to run (the PO header's dates and the
resume hash over them) masked. Run it before and after a change and compare:

    .venv/bin/python benchmarks/output_digest.py > before.txt
    ... change ...
    .venv/bin/python benchmarks/output_digest.py --compare before.txt

`--compare` exits 1 and names the files that differ. Takes about a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from pathlib import Path

import polib

from glossator.formats import DEFAULT_FORMATS, get_format
from glossator.run.pipeline import translate_articles

REPO = Path(__file__).resolve().parents[1]
ARTICLES = sorted([*(REPO / "benchmarks" / "articles").glob("*.txt"),
                   *(REPO / "benchmarks" / "heldout").glob("*.txt"),
                   *(REPO / "seeds").glob("*.txt")])
ALL_FORMATS = ("po", "html", "txt", "tmx", "xliff", "tsv")
# What differs between two runs of the same code: the dates, and the hash over the whole file.
_VARYING = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*$'
                      r"|(?<=^# resume: [0-9a-f]{32} )\S+$"
                      r"|\d{4}-\d\d-\d\dT\d\d:\d\dZ"  # a review stamp
                      r'|(?<=creationdate=")[0-9TZ]+(?=")', re.MULTILINE)


def digests(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(
        _VARYING.sub("", path.read_text(encoding="utf-8")).encode()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file() and not path.name.startswith(".")}


def review_first_segment(po_path: Path) -> None:
    """A reviewer's edit and approval of one segment, as a PO editor saves it."""
    pofile = polib.pofile(str(po_path), wrapwidth=0)
    entry = next(e for e in pofile if not e.obsolete)
    entry.msgstr = entry.msgstr + " (revisto)"
    entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    pofile.save()


def run(folder: Path) -> dict[str, str]:
    articles = folder / "articles"
    articles.mkdir()
    for path in ARTICLES:
        (articles / path.name).write_bytes(path.read_bytes())
    out = folder / "locale"
    formats = [get_format(name) for name in ALL_FORMATS]
    options = dict(engine_name="bergamot", out=out, formats=formats,
                   glossary_paths=[REPO / "glossaries"], report=lambda _line: None)
    translate_articles([articles], ["pt"], **options)
    first = digests(out)
    for po_path in sorted((out / "pt").glob("*.po"))[:3]:
        review_first_segment(po_path)
    translate_articles([articles], ["pt"], force=True, **options)
    second = digests(out)
    return {**{f"run1/{k}": v for k, v in first.items()},
            **{f"run2/{k}": v for k, v in second.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, help="a listing printed before; exit 1 on a "
                                                     "difference")
    args = parser.parse_args()
    assert set(DEFAULT_FORMATS) <= set(ALL_FORMATS)
    with tempfile.TemporaryDirectory(prefix="glossator-digest-") as folder:
        found = run(Path(folder))
    if args.compare is None:
        for name, digest in found.items():
            print(f"{digest}  {name}")
        return 0
    before = dict(reversed(line.split("  ", 1)) for line in
                  args.compare.read_text(encoding="utf-8").splitlines() if line.strip())
    differ = sorted(name for name in before.keys() | found.keys()
                    if before.get(name) != found.get(name))
    for name in differ:
        print(f"differs: {name}", file=sys.stderr)
    print(f"{len(found)} files, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
