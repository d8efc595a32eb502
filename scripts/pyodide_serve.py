"""A loopback static server for the built site, for the planner's browser tests and benchmark.

Serves a directory on 127.0.0.1 in a background thread, with the right MIME types for .mjs and
.wasm, optional gzip (as GitHub Pages serves), optional Cache-Control, and a log of every request
(path, headers, body) so tests can check that nothing typed ever reaches a server.

    with serve(Path("site"), gzip=True) as srv:
        print(srv.url)            # http://127.0.0.1:PORT/
        ...; srv.log              # [{"method", "path", "body"}]
"""

from __future__ import annotations

import contextlib
import gzip as _gzip
import http.server
import threading
from functools import partial
from pathlib import Path

COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt", ".ics", ".zip")


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".zip": "application/zip", ".ics": "text/calendar",
    }
    server_version = "guichet-test"
    sys_version = ""

    def log_message(self, *args):  # quiet
        pass

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
def serve(directory: Path, *, gzip: bool = False, cache_control: str | None = None, port: int = 0):
    httpd = _Server(("127.0.0.1", port), partial(_Handler, directory=str(directory)))
    httpd.log = []
    httpd.bytes_sent = 0
    httpd.gzip = gzip
    httpd.gz_cache = {}
    httpd.cache_control = cache_control
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":  # python -m scripts.pyodide_serve site [--gzip]
    import sys
    import time

    d = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    with serve(d, gzip="--gzip" in sys.argv, port=8001) as s:
        print("serving", d, "at", s.url)
        while True:
            time.sleep(3600)
