"""One static server for the built site, on 127.0.0.1: `make serve` (build, serve, rebuild when a source
changes), the browser tests and the benchmarks. The MIME types Pyodide needs (.mjs, .wasm), optional
gzip (as GitHub Pages serves), optional Cache-Control, and a log of every request (path, headers, body)
so tests can check that nothing typed ever reaches a server.

    python -m scripts.dev.server [--port 8000] [--langs fr,en] [--gzip]    # make serve

    with serve(Path("site"), gzip=True) as srv:    # a background thread on a free port
        srv.url        # http://127.0.0.1:PORT/
        srv.log        # [{"method", "path", "headers", "body"}]
        srv.bytes_sent
"""
from __future__ import annotations

import argparse
import contextlib
import gzip as _gzip
import http.server
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt", ".ics", ".zip")
SOURCES = ("rules", "docs", "overrides", "mkdocs.yml")  # what `make serve` watches


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".zip": "application/zip", ".ics": "text/calendar",
    }
    server_version = "guichet"
    sys_version = ""

    def log_message(self, *args):
        if self.server.verbose:
            super().log_message(*args)

    def _record(self, body: bytes = b""):
        self.server.log.append({"method": self.command, "path": self.path,
                                "headers": dict(self.headers.items()), "body": body})

    def copyfile(self, source, outputfile):
        data = source.read()
        self.server.bytes_sent += len(data)
        outputfile.write(data)

    def do_POST(self):  # the site never posts: record and refuse
        n = int(self.headers.get("Content-Length") or 0)
        self._record(self.rfile.read(n) if n else b"")
        self.send_error(405)

    do_PUT = do_POST

    def end_headers(self):
        cc = self.server.cache_control
        if cc:
            self.send_header("Cache-Control", cc)
        super().end_headers()

    def do_GET(self):
        self._record()
        if not self.server.gzip or "gzip" not in (self.headers.get("Accept-Encoding") or ""):
            return super().do_GET()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
            return super().do_GET()
        key = (str(path), path.stat().st_mtime_ns)
        data = self.server.gz_cache.get(key)
        if data is None:
            data = _gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.server.gz_cache[key] = data
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        if self.command != "HEAD":
            self.server.bytes_sent += len(data)
            self.wfile.write(data)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def serve(directory: Path, *, gzip: bool = False, cache_control: str | None = None, port: int = 0,
          verbose: bool = False):
    httpd = _Server(("127.0.0.1", port), partial(_Handler, directory=str(directory)))
    httpd.log = []
    httpd.bytes_sent = 0
    httpd.gzip = gzip
    httpd.gz_cache = {}
    httpd.cache_control = cache_control
    httpd.verbose = verbose
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def _snapshot(paths) -> dict:
    state = {}
    for base in paths:
        for p in [base] if base.is_file() else base.rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts:
                state[str(p)] = p.stat().st_mtime_ns
    return state


def _rebuild_on_change(rebuild, paths, interval: float = 1.0) -> None:
    """Poll the sources every `interval` seconds; rebuild when one changed (a failed build keeps the
    previous site served)."""
    state = _snapshot(paths)
    while True:
        time.sleep(interval)
        now = _snapshot(paths)
        if now != state:
            state = now
            print("change detected, rebuilding...", flush=True)
            try:
                rebuild()
            except Exception as exc:
                print(f"BUILD FAILED (previous site still served): {exc}", flush=True)


def main(argv=None) -> int:
    from scripts.build import build

    ap = argparse.ArgumentParser(prog="python -m scripts.dev.server", description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--langs", help="comma-separated language codes (default: every catalog)")
    ap.add_argument("--out", type=Path, default=ROOT / "site")
    ap.add_argument("--gzip", action="store_true", help="compress as GitHub Pages does")
    a = ap.parse_args(argv)
    langs = a.langs.split(",") if a.langs else None
    build(a.out, langs)
    watched = [ROOT / s for s in SOURCES]
    threading.Thread(target=_rebuild_on_change, args=(lambda: build(a.out, langs), watched), daemon=True).start()
    with serve(a.out, gzip=a.gzip, port=a.port, verbose=True):
        print(f"serving {a.out} at http://127.0.0.1:{a.port}/ (French: /fr/, English: /en/); Ctrl-C to stop", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
