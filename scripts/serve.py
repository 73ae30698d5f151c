#!/usr/bin/env python3
"""Serve dist/ on 127.0.0.1 the way the page needs.

Threads in the page need SharedArrayBuffer, which browsers only give to cross-origin isolated
pages, so every response carries COOP same-origin and COEP require-corp. `.wasm` must be served
as application/wasm for streaming compilation.

For course pages that embed the playground in an iframe, two more headers:
  Document-Isolation-Policy: isolate-and-credentialless  isolates the page on its own, whatever its
      parent does (Chromium 137+), so a frame in an ordinary, non-isolated course page has threads;
  Cross-Origin-Resource-Policy: cross-origin  lets an isolated (COEP) course page on another
      origin load this one in its iframe.

  scripts/serve.py [--dir dist] [--port 8000] [--allow-host NAME]...
                   [--no-isolation-headers | --no-document-isolation-policy]

--no-isolation-headers serves like a plain static host (none of these headers); the tests use it
to check the page's explanation, the coi-serviceworker fallback, and a non-isolated course page.
--no-document-isolation-policy leaves out only DIP: a frame in a non-isolated course page then
gets what Firefox and Safari give it (no threads), so the tests see the single-threaded fallback.

It listens on 127.0.0.1 only, and answers only requests addressed to a local name (localhost,
*.localhost, 127.x.x.x, [::1]): a page from another site whose name was made to resolve to
127.0.0.1 (DNS rebinding) gets 403, not these files. --allow-host NAME (repeatable; "*" for any)
accepts another name, for a tunnel or a proxy in front of it. It never follows a symlink out of
--dir, answers 400 for a path it cannot open (a NUL byte), and escapes control characters a
client sends before they reach the log (a terminal would obey them).

Compression: build-wasm.sh writes FILE.br and FILE.gz beside each large file in dist/. A request
for FILE whose Accept-Encoding allows br (or gzip) gets that sibling's bytes with Content-Encoding
and FILE's own Content-Type; every answer for such a FILE carries Vary: Accept-Encoding. A
sibling older than its FILE (a rebuild that did not compress) is not used.
"""
import argparse
import functools
import http.server
import ipaddress
import itertools
import os
import sys
from http import HTTPStatus

MIME_TYPES = {".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
              ".json": "application/json", ".css": "text/css", ".html": "text/html"}

# What the log shows instead of a control character (as the standard library's own log does):
# a request line with an escape sequence in it must not recolour or rewrite the terminal.
CONTROL_CHARACTERS = str.maketrans({c: f"\\x{c:02x}" for c in itertools.chain(range(0x20), range(0x7f, 0xa0))})
CONTROL_CHARACTERS[ord("\\")] = "\\\\"

# Precompressed siblings, in order of preference: (file suffix, Content-Encoding token).
ENCODINGS = ((".br", "br"), (".gz", "gzip"))


def host_name(header):
    """The name in a Host header, lower case, without its port: "[::1]:8000" -> "::1"."""
    name = header.strip().lower()
    if name.startswith("["):
        return name[1:name.find("]")] if "]" in name else name
    if name.count(":") == 1:
        name = name.split(":")[0]
    return name.rstrip(".")


def accepted_encodings(header):
    """The codings an Accept-Encoding header allows: "gzip, br;q=0" -> {"gzip"}; "*" stands for any."""
    accepted = set()
    for item in (header or "").split(","):
        token, *params = [part.strip() for part in item.split(";")]
        quality = 1.0
        for param in params:
            if param.lower().startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if token and quality > 0:
            accepted.add(token.lower())
    return accepted


def precompressed_siblings(path):
    """[(sibling path, coding)] for FILE's siblings that exist and are not older than FILE."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return []
    siblings = []
    for suffix, coding in ENCODINGS:
        try:
            if os.stat(path + suffix).st_mtime >= mtime:
                siblings.append((path + suffix, coding))
        except OSError:
            pass
    return siblings


def is_local_name(name):
    if name == "localhost" or name.endswith(".localhost"):  # browsers resolve these to loopback themselves
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class PlaygroundHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    send_isolation_headers = True
    send_document_isolation_policy = True
    allowed_hosts = frozenset()  # names besides the local ones; "*": any

    def host_allowed(self):
        header = self.headers.get("Host")
        if header is None or "*" in self.allowed_hosts:  # no Host: not a browser, so no rebinding
            return True
        name = host_name(header)
        return is_local_name(name) or name in self.allowed_hosts

    def inside_served_folder(self, path):
        root = os.path.realpath(self.directory)
        real = os.path.realpath(path)
        return real == root or real.startswith(root + os.sep)

    def send_head(self):
        if not self.host_allowed():
            self.send_error(HTTPStatus.FORBIDDEN, "Host not allowed",
                            "This server answers requests for localhost and 127.0.0.1 only, so that a page from "
                            "another site cannot read these files by making its name point here (DNS rebinding). "
                            "Start it with --allow-host NAME to serve NAME too.")
            return None
        path = self.translate_path(self.path)
        if "\0" in path:  # open() would raise ValueError and drop the connection unanswered
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        if not self.inside_served_folder(path):  # a symlink that leads out of --dir
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return self.send_precompressed(path) or super().send_head()

    def send_precompressed(self, path):
        """Answers with FILE.br or FILE.gz when both sides allow it; None to answer as usual."""
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return None  # the usual redirect to "dir/"
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path) or not self.inside_served_folder(path):
            return None
        siblings = precompressed_siblings(path)
        if not siblings:
            return None
        self.vary_accept_encoding = True
        accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
        for sibling, coding in siblings:
            if (coding in accepted or "*" in accepted) and self.inside_served_folder(sibling):
                try:
                    body = open(sibling, "rb")
                except OSError:
                    continue
                stat = os.fstat(body.fileno())
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", coding)
                self.send_header("Content-Length", str(stat.st_size))
                self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
                self.end_headers()
                return body
        return None  # no coding the client takes: FILE itself, still with Vary

    def end_headers(self):
        if getattr(self, "vary_accept_encoding", False):  # caches must keep one answer per coding
            self.send_header("Vary", "Accept-Encoding")
            self.vary_accept_encoding = False
        if self.send_isolation_headers:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "cross-origin")
            if self.send_document_isolation_policy:
                self.send_header("Document-Isolation-Policy", "isolate-and-credentialless")
        # A rebuilt page must never mix with a cached older module.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):  # one quiet line per request, to stderr
        if os.environ.get("PP_SERVE_QUIET") != "1":
            sys.stderr.write("[serve] %s\n" % (format % args).translate(CONTROL_CHARACTERS))


def port_number(text):
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number, not {text!r}")
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 0 and 65535, not {port}")
    return port


def main():
    parser = argparse.ArgumentParser(description="Serve the Parallel Playground page.")
    parser.add_argument("--dir", default="dist", help="folder to serve (default: dist)")
    parser.add_argument("--port", type=port_number, default=8000, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests for this host name (repeatable; '*' for any); "
                             "by default only local names are answered (DNS rebinding)")
    headers = parser.add_mutually_exclusive_group()
    headers.add_argument("--no-isolation-headers", action="store_true",
                         help="omit COOP/COEP/CORP/DIP, like a plain static host")
    headers.add_argument("--no-document-isolation-policy", action="store_true",
                         help="omit only DIP, like a browser that does not know it")
    args = parser.parse_args()

    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit(f"serve: {args.dir}/index.html not found. Build the page first: ./build-wasm.sh")

    PlaygroundHandler.send_isolation_headers = not args.no_isolation_headers
    PlaygroundHandler.send_document_isolation_policy = not args.no_document_isolation_policy
    PlaygroundHandler.allowed_hosts = frozenset(host_name(name) if name != "*" else name for name in args.allow_host)
    handler = functools.partial(PlaygroundHandler, directory=args.dir)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        sys.exit(f"serve: cannot listen on 127.0.0.1:{args.port} ({error.strerror}). "
                 f"Try another port: --port {args.port + 1}")

    port = server.server_address[1]
    isolation = "without isolation headers" if args.no_isolation_headers else "cross-origin isolated"
    print(f"Serving {args.dir}/ ({isolation}) at http://127.0.0.1:{port}/", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
