"""`foialog review OUT`: check and fix a run in the browser; every decision a line in a file."""

from __future__ import annotations

import socket
import webbrowser
from pathlib import Path

from foialog.review.app import create_app, new_token
from foialog.review.workbench import Workbench

__all__ = ["Workbench", "create_app", "free_port", "serve"]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(
    out: Path, *, port: int | None = None, open_browser: bool = True, password: str | None = None
) -> None:
    """Serve the review app for OUT on 127.0.0.1 until interrupted; print and open its URL."""
    import uvicorn

    token = new_token()
    app = create_app(out, token, password=password)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/files?token={token}"
    print(f"foialog review: {url}  (Ctrl-C to stop)", flush=True)
    if open_browser:
        webbrowser.open(url)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
