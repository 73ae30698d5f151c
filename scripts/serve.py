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

  scripts/serve.py [--dir dist] [--port 8000] [--no-isolation-headers | --no-document-isolation-policy]

--no-isolation-headers serves like a plain static host (none of these headers); the tests use it
to check the page's explanation, the coi-serviceworker fallback, and a non-isolated course page.
--no-document-isolation-policy leaves out only DIP: a frame in a non-isolated course page then
gets what Firefox and Safari give it (no threads), so the tests see the single-threaded fallback.
"""
import argparse
import functools
import http.server
import os
import sys

MIME_TYPES = {".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
              ".json": "application/json", ".css": "text/css", ".html": "text/html"}


class PlaygroundHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    send_isolation_headers = True
    send_document_isolation_policy = True

    def end_headers(self):
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
            sys.stderr.write("[serve] %s\n" % (format % args))


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
