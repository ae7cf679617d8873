"""`foialog review OUT`: a local web app to check a run and fix it, offline.

Built on Starlette (served by uvicorn) with Jinja2 templates: nothing is fetched from outside,
every page is plain HTML with a little CSS. Safety: it listens on 127.0.0.1 only; every request
needs the run's random token (in the URL once, then a cookie); the Host header must be the
loopback address it serves (no DNS rebinding); a change (POST) needs the token in the form and
an Origin or Referer of the app itself (no cross-site requests); every text from the leak is
escaped by Jinja2's autoescape; files are written only inside OUT, under fixed names.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from foialog.entities.corrections import ACTIONS
from foialog.errors import FoialogError
from foialog.extract.hints import DATE_ORDERS, ROLE_CHOICES
from foialog.report.evidence import Box, crop_png
from foialog.review.workbench import Workbench

COOKIE = "foialog_review"
#: Records shown on one page of the records view.
PAGE_SIZE = 100
_templates = Environment(
    loader=PackageLoader("foialog.review", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class Guard(BaseHTTPMiddleware):
    """Token on every request, loopback Host, same-origin POSTs with the token in the form."""

    def __init__(self, app: Any, token: str) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0]
        if host not in {"127.0.0.1", "localhost"}:
            return Response("only served to 127.0.0.1", status_code=400)
        given = request.query_params.get("token") or request.cookies.get(COOKIE, "")
        if not secrets.compare_digest(given, self.token):
            return Response("the review app needs its token: open the URL it printed", 403)
        if request.method == "POST":
            origin = request.headers.get("origin") or request.headers.get("referer") or ""
            where = urlsplit(origin)
            if where.hostname not in {"127.0.0.1", "localhost"} or (where.port != request.url.port):
                return Response("cross-site request refused", status_code=403)
            # The form's own token is checked by each POST endpoint (_form): a middleware that
            # read the body would leave the endpoint an empty form.
        response = await call_next(request)
        if "token" in request.query_params:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
            "form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def _page(template: str, request: Request, **context: Any) -> HTMLResponse:
    bench: Workbench = request.app.state.bench
    html = _templates.get_template(template).render(
        csrf=request.app.state.token,
        out=str(bench.out),
        command=bench.command(),
        message=request.query_params.get("message", ""),
        view=template.removesuffix(".html"),
        **context,
    )
    return HTMLResponse(html)


class Refused(Exception):
    """A POST whose form lacks the app's token."""


async def _form(request: Request) -> FormData:
    """The POSTed form, once its token is checked against the app's."""
    form = await request.form()
    if not secrets.compare_digest(str(form.get("csrf", "")), request.app.state.token):
        raise Refused
    return form


async def _refused(request: Request, exc: Exception) -> Response:
    return Response("the form has no valid token; reload the page", status_code=403)


def _back(path: str, message: str = "", **params: str) -> RedirectResponse:
    query = urlencode({k: v for k, v in {**params, "message": message}.items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): ("" if pd.isna(v) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


async def files(request: Request) -> HTMLResponse:
    """Every input with status, reader, OCR share and notes."""
    documents = request.app.state.bench.tables()["documents"]
    return _page("files.html", request, documents=_rows(documents))


async def file_view(request: Request) -> HTMLResponse:
    """One file's tables: header, first rows, each column's role, confidence and reason."""
    bench: Workbench = request.app.state.bench
    name = request.query_params.get("name", "")
    documents = bench.tables()["documents"]
    known = set(documents["source_file"].astype(str))
    if name not in known:
        return HTMLResponse(f"no input named {name!r} in documents.csv", status_code=404)
    try:
        found = bench.inspect(name)
    except FoialogError as exc:
        found, problem = None, str(exc)
    else:
        problem = "" if found is not None else "a container member: inspect its container"
    tables = []
    for view in found.views if found is not None else []:
        layout, table = view.layout, view.table
        first = [table.rows[i] for i in layout.data[:5]]
        tables.append(
            {
                "sheet": table.sheet or "",
                "page": table.page or "",
                "header_row": (
                    table.row_numbers[layout.header_index]
                    if layout.header_index is not None
                    else ""
                ),
                "reason": layout.reason,
                "roles": view.roles,
                "rows": [[_cell(r, c.index) for c in view.roles] for r in first],
                "hints": view.hints,
            }
        )
    return _page(
        "file.html",
        request,
        name=name,
        tables=tables,
        problem=problem,
        roles=ROLE_CHOICES,
        orders=DATE_ORDERS,
        hints=bench.hints(),
    )


def _cell(row: list[Any], index: int) -> str:
    return "" if index >= len(row) or row[index] is None else str(row[index])


async def add_hint(request: Request) -> Response:
    """Write one hint to OUT/hints.csv, re-run (only the named file is read again)."""
    form = await _form(request)
    name = str(form.get("file", ""))
    values = {k: str(v) for k, v in form.items() if k != "csrf"}
    bench: Workbench = request.app.state.bench
    try:
        hint = bench.add_hint(values)
        bench.rerun()
    except FoialogError as exc:
        return _back("/file", str(exc), name=name)
    return _back("/file", f"saved in hints.csv and re-run: {hint.describe()}", name=name)


_FILTERS = ("agency", "file", "metric", "month", "confidence_below", "redacted", "verdict")


async def records(request: Request) -> HTMLResponse:
    """Records, filtered by agency, file, metric, month, confidence, redaction, verdict."""
    bench: Workbench = request.app.state.bench
    frame = bench.tables()["records"]
    query = {k: request.query_params.get(k, "") for k in _FILTERS}
    verdicts = bench.verifications()
    if query["agency"]:
        frame = frame[frame["agency"].astype(str) == query["agency"]]
    if query["file"]:
        frame = frame[frame["source_file"].astype(str) == query["file"]]
    if query["metric"]:
        frame = frame[frame["metric"].fillna("").astype(str) == query["metric"]]
    if query["month"]:
        frame = frame[frame["date"].fillna("").astype(str).str.startswith(query["month"])]
    if query["confidence_below"]:
        try:
            limit = float(query["confidence_below"])
        except ValueError:
            limit = 1.01
        frame = frame[pd.to_numeric(frame["confidence"], errors="coerce") < limit]
    if query["redacted"] == "yes":
        frame = frame[frame["redacted"].fillna("").astype(str) != ""]
    if query["verdict"]:
        ids = {i for i, v in verdicts.items() if v == query["verdict"]}
        frame = frame[frame["record_id"].isin(ids)]
    try:
        page = max(int(request.query_params.get("page", "1")), 1)
    except ValueError:
        page = 1
    total = len(frame)
    shown = frame.iloc[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return _page(
        "records.html",
        request,
        rows=_rows(shown),
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        query=query,
        verdicts=verdicts,
        agencies=bench.choices("agency"),
        files=bench.choices("source_file"),
        metrics=bench.choices("metric"),
    )


async def record(request: Request) -> HTMLResponse:
    """One record beside its evidence: the page crop, or its row with the neighbouring rows."""
    bench: Workbench = request.app.state.bench
    frame = bench.tables()["records"]
    record_id = request.path_params["record_id"]
    found = bench.record(record_id)
    if found is None:
        return HTMLResponse("no such record", status_code=404)
    row = _rows(found.to_frame().T)[0]
    same = frame[frame["source_file"] == row["source_file"]]
    if row["sheet"]:
        same = same[same["sheet"].astype(str) == str(row["sheet"])]
    if row["page"] != "":
        same = same[same["page"].astype(str) == str(row["page"])]
    near = same[(pd.to_numeric(same["row"], errors="coerce") - int(row["row"] or 0)).abs() <= 2]
    return _page(
        "record.html",
        request,
        row=row,
        neighbours=_rows(near),
        crop=bool(row["bbox"]) and row["page"] != "",
        verdict=bench.verifications().get(record_id, ""),
    )


async def evidence(request: Request) -> Response:
    """The page crop of a record with its box drawn (PNG)."""
    bench: Workbench = request.app.state.bench
    row = bench.record(request.path_params["record_id"])
    if row is None or pd.isna(row["bbox"]) or pd.isna(row["page"]):
        return Response("no page evidence for this record", status_code=404)
    path = bench.source(str(row["source_file"]))
    if path is None:
        return Response("the source file is not on disk", status_code=404)
    try:
        png = crop_png(path, int(row["page"]), Box.parse(str(row["bbox"])))
    except (FoialogError, OSError, ValueError) as exc:
        return Response(f"cannot draw the evidence: {exc}", status_code=500)
    return Response(png, media_type="image/png")


async def verify(request: Request) -> Response:
    """Mark a record verified or wrong."""
    form = await _form(request)
    record_id = str(form.get("record_id", ""))
    bench: Workbench = request.app.state.bench
    try:
        bench.verify(record_id, str(form.get("verdict", "")), str(form.get("note", "")))
    except FoialogError as exc:
        return _back(f"/record/{record_id}", str(exc))
    answer = _back(
        f"/record/{record_id}",
        f"marked {form.get('verdict')} in verifications.csv; report.html and methodology.md "
        "list it in a moment",
    )
    # Written after the answer: the report of a large run takes seconds.
    answer.background = BackgroundTask(bench.publish)
    return answer


async def agencies(request: Request) -> HTMLResponse:
    """Each agency with its variants, sources, place and reference link."""
    frame = request.app.state.bench.tables()["agencies"]
    search = request.query_params.get("q", "").casefold()
    if search:
        text = frame["agency"].astype(str) + " " + frame["variants"].astype(str)
        frame = frame[text.str.casefold().str.contains(search, regex=False)]
    return _page(
        "agencies.html",
        request,
        rows=_rows(frame.sort_values("n_records", ascending=False)),
        actions=ACTIONS,
        q=request.query_params.get("q", ""),
    )


async def correct(request: Request) -> Response:
    """Write one corrections line (merge, split, rename ...) to OUT/corrections.csv, re-run."""
    form = await _form(request)
    bench: Workbench = request.app.state.bench
    try:
        line = bench.add_correction(*_fields(form, "action", "name", "value", "note"))
        bench.rerun()
    except FoialogError as exc:
        return _back("/agencies", str(exc))
    return _back("/agencies", f"saved in corrections.csv and re-run: {line}")


def _fields(form: FormData, *names: str) -> list[str]:
    return [" ".join(str(form.get(n, "")).split()) for n in names]


async def queue(request: Request) -> HTMLResponse:
    """The review queue, largest counts first, with accept / reverse buttons."""
    bench: Workbench = request.app.state.bench
    review = bench.tables().get("review")
    frame = review if review is not None else pd.DataFrame()
    if not frame.empty:
        frame = frame.sort_values(["count_affected", "n_records"], ascending=False)
    rows = _rows(frame)
    verdicts = bench.verifications()
    for row in rows:
        row["key"] = _review_key(row)
        row["accepted"] = verdicts.get(row["key"]) == "accepted"
    return _page("queue.html", request, rows=rows)


def _review_key(row: dict[str, Any]) -> str:
    return (
        f"review:{row.get('kind', '')}:{row.get('agency_id', '')}:{row.get('other_agency_id', '')}"
    )


async def decide(request: Request) -> Response:
    """Accept a review row (kept in verifications.csv) or reverse it (its corrections line)."""
    form = await _form(request)
    bench: Workbench = request.app.state.bench
    try:
        if form.get("decision") == "reverse":
            line = bench.add_suggestion(str(form.get("suggestion", "")))
            bench.rerun()
            message = f"reversed: {line} saved in corrections.csv and re-run"
        else:
            bench.verify(str(form.get("key", "")), "accepted")
            message = "accepted: kept in verifications.csv and listed in methodology.md"
            answer = _back("/queue", message)
            answer.background = BackgroundTask(bench.publish)
            return answer
    except FoialogError as exc:
        message = str(exc)
    return _back("/queue", message)


async def home(request: Request) -> Response:
    """The files view is the start."""
    return RedirectResponse("/files", status_code=303)


def create_app(out: Path, token: str, *, password: str | None = None) -> Starlette:
    """The review app for one output folder, guarded by ``token``.

    ``password`` opens the run's encrypted inputs on each re-run; it is never written.
    """
    app = Starlette(
        routes=[
            Route("/", home),
            Route("/files", files),
            Route("/file", file_view),
            Route("/hint", add_hint, methods=["POST"]),
            Route("/records", records),
            Route("/record/{record_id}", record),
            Route("/evidence/{record_id}.png", evidence),
            Route("/verify", verify, methods=["POST"]),
            Route("/agencies", agencies),
            Route("/correct", correct, methods=["POST"]),
            Route("/queue", queue),
            Route("/decide", decide, methods=["POST"]),
        ],
        middleware=[Middleware(Guard, token=token)],
        exception_handlers={Refused: _refused},
    )
    app.state.bench = Workbench(out, password=password)
    app.state.token = token
    return app


def new_token() -> str:
    """A random token for the app's URL."""
    return secrets.token_urlsafe(24)
