#!/usr/bin/env python3
"""scripts/serve.py, end to end: a real server on a free port, real requests.

What a local static server must not do: write a client's control characters raw into the
terminal's log, drop the connection on a path it cannot open, follow a symlink out of the folder
it serves, or answer a page from another site that a DNS rebinding pointed at 127.0.0.1.
What it must do with the precompressed siblings build-wasm.sh writes (FILE.br, FILE.gz): send
their bytes, which decode to FILE's, with Content-Encoding, only to a client that accepts it.

  python3 tests/scripts/test_serve.py        (CTest runs it as Scripts.serve)
"""
import gzip
import http.client
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVE = os.path.join(ROOT, "scripts", "serve.py")


class Server:
    """serve.py on a free port, its log (stderr) collected."""

    def __init__(self, directory, *extra):
        env = {**os.environ, "PP_SERVE_QUIET": "0"}
        self.process = subprocess.Popen([sys.executable, SERVE, "--dir", directory, "--port", "0", *extra],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        line = self.process.stdout.readline().decode()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.process.kill()
            errors = self.process.stderr.read()
            self.stop()
            raise RuntimeError(f"serve.py printed no URL: {line!r} {errors!r}")
        self.port = int(match.group(1))
        os.set_blocking(self.process.stderr.fileno(), False)
        self.log = b""

    def request(self, path, host=None, headers=None):
        """(status, body) of a GET; host=None sends the usual 127.0.0.1:port."""
        status, _, body = self.request_with_headers(path, host, headers)
        return status, body

    def request_with_headers(self, path, host=None, headers=None):
        """(status, response headers, body) of a GET with extra request `headers`."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_host=host is not None, skip_accept_encoding=True)
            if host is not None:
                connection.putheader("Host", host)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def raw(self, data):
        """Sends raw bytes; returns everything the server answered before closing."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(data)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
            return answer

    def read_log(self, wait_for=b"", timeout=5.0):
        """The log so far; waits up to `timeout` for `wait_for` to appear in it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                chunk = self.process.stderr.read()
            except BlockingIOError:
                chunk = None
            if chunk:
                self.log += chunk
            if wait_for in self.log or time.monotonic() > deadline:
                return self.log
            select.select([self.process.stderr], [], [], 0.05)

    def stop(self):
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()


class ServeTest(unittest.TestCase):
    def setUp(self):
        self.temp = tempfile.TemporaryDirectory()
        self.dist = os.path.join(self.temp.name, "dist")
        os.mkdir(self.dist)
        with open(os.path.join(self.dist, "index.html"), "w") as f:
            f.write("<p>the page</p>")
        os.mkdir(os.path.join(self.dist, "sub"))
        with open(os.path.join(self.dist, "sub", "inside.txt"), "w") as f:
            f.write("inside")
        self.outside = os.path.join(self.temp.name, "secret.txt")
        with open(self.outside, "w") as f:
            f.write("secret outside the served folder")
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.stop()
        self.temp.cleanup()

    def serve(self, *extra):
        server = Server(self.dist, *extra)
        self.servers.append(server)
        return server

    def test_serves_the_page_with_isolation_headers(self):
        server = self.serve()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        self.assertEqual(response.status, 200)
        self.assertEqual(response.getheader("Cross-Origin-Opener-Policy"), "same-origin")
        self.assertEqual(response.getheader("Cross-Origin-Embedder-Policy"), "require-corp")
        self.assertIn(b"the page", response.read())
        connection.close()

    def test_control_characters_in_the_request_line_are_escaped_in_the_log(self):
        server = self.serve()
        # An escape sequence that would turn a terminal's text red, and a bell.
        server.raw(b"GET /\x1b[31mred\x07 HTTP/1.0\r\n\r\n")
        log = server.read_log(wait_for=b"red")
        self.assertIn(b"red", log)
        self.assertNotIn(b"\x1b", log)
        self.assertNotIn(b"\x07", log)
        self.assertIn(b"\\x1b[31mred\\x07", log)

    def test_a_nul_in_the_path_is_answered_400(self):
        server = self.serve()
        answer = server.raw(b"GET /%00 HTTP/1.0\r\n\r\n")
        self.assertRegex(answer, rb"^HTTP/1\.\d 400 ")
        self.assertEqual(server.request("/")[0], 200)  # the server carries on

    def test_a_symlink_out_of_the_folder_is_refused(self):
        os.symlink(self.outside, os.path.join(self.dist, "leak.txt"))
        os.symlink(self.temp.name, os.path.join(self.dist, "leakdir"))
        os.symlink(os.path.join(self.dist, "sub", "inside.txt"), os.path.join(self.dist, "alias.txt"))
        server = self.serve()
        status, body = server.request("/leak.txt")
        self.assertEqual(status, 404)
        self.assertNotIn(b"secret", body)
        status, body = server.request("/leakdir/secret.txt")
        self.assertEqual(status, 404)
        self.assertNotIn(b"secret", body)
        self.assertEqual(server.request("/leakdir/")[0], 404)
        # A symlink that stays inside the folder is fine.
        self.assertEqual(server.request("/alias.txt"), (200, b"inside"))

    def test_only_local_host_names_by_default(self):
        server = self.serve()
        for host in (None, f"localhost:{server.port}", "localhost", f"127.0.0.1:{server.port}", f"[::1]:{server.port}",
                     f"LOCALHOST:{server.port}"):
            self.assertEqual(server.request("/", host=host)[0], 200, host)
        # A DNS rebinding: attacker.example resolves to 127.0.0.1, its page asks us for files.
        for host in ("attacker.example", f"attacker.example:{server.port}", "127.0.0.1.attacker.example",
                     "localhost.attacker.example"):
            status, body = server.request("/", host=host)
            self.assertEqual(status, 403, host)
            self.assertIn(b"--allow-host", body)
            self.assertNotIn(b"the page", body)

    def test_allow_host_accepts_the_names_given(self):
        server = self.serve("--allow-host", "playground.lan", "--allow-host", "tunnel.example")
        self.assertEqual(server.request("/", host="playground.lan:8080")[0], 200)
        self.assertEqual(server.request("/", host="tunnel.example")[0], 200)
        self.assertEqual(server.request("/", host="localhost")[0], 200)
        self.assertEqual(server.request("/", host="other.example")[0], 403)
        anything = self.serve("--allow-host", "*")
        self.assertEqual(anything.request("/", host="other.example")[0], 200)


class CompressionTest(unittest.TestCase):
    """Precompressed siblings: the bytes sent decode to the file's, the headers say how."""

    def setUp(self):
        self.temp = tempfile.TemporaryDirectory()
        self.dist = self.temp.name
        self.original = b"".join(b"line %d of the module, compressible\n" % i for i in range(2000))
        for name in ("index.html", "app.wasm"):
            with open(os.path.join(self.dist, name), "wb") as f:
                f.write(self.original)
            with gzip.open(os.path.join(self.dist, name + ".gz"), "wb") as f:
                f.write(self.original)
            with open(os.path.join(self.dist, name), "rb") as source, \
                    open(os.path.join(self.dist, name + ".br"), "wb") as f:
                f.write(self.brotli(["-c"], source.read()))
        with open(os.path.join(self.dist, "plain.css"), "wb") as f:
            f.write(b"body {}")
        self.server = Server(self.dist)

    def tearDown(self):
        self.server.stop()
        self.temp.cleanup()

    def brotli(self, arguments, data=None):
        if not shutil.which("brotli"):
            self.fail("the brotli command is missing: run scripts/setup.sh")
        return subprocess.run(["brotli", *arguments], input=data, capture_output=True, check=True).stdout

    def get(self, path, accept_encoding=None):
        headers = {"Accept-Encoding": accept_encoding} if accept_encoding is not None else {}
        status, response_headers, body = self.server.request_with_headers(path, headers=headers)
        self.assertEqual(status, 200)
        return response_headers, body

    def test_brotli_when_accepted_and_it_decodes_to_the_file(self):
        headers, body = self.get("/app.wasm", "gzip, deflate, br")
        self.assertEqual(headers["Content-Encoding"], "br")
        self.assertEqual(headers["Content-Type"], "application/wasm")
        self.assertEqual(headers["Vary"], "Accept-Encoding")
        self.assertEqual(headers["Cross-Origin-Embedder-Policy"], "require-corp")  # still isolated
        self.assertEqual(int(headers["Content-Length"]), len(body))
        self.assertLess(len(body), len(self.original))
        self.assertEqual(self.brotli(["-d", "-c"], body), self.original)

    def test_gzip_when_brotli_is_not_accepted(self):
        headers, body = self.get("/app.wasm", "gzip;q=1.0, br;q=0")
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(gzip.decompress(body), self.original)

    def test_the_file_itself_without_accept_encoding(self):
        for accept in (None, "identity", "deflate"):
            headers, body = self.get("/app.wasm", accept)
            self.assertIsNone(headers["Content-Encoding"], accept)
            self.assertEqual(headers["Vary"], "Accept-Encoding")
            self.assertEqual(body, self.original)

    def test_the_folder_index_is_compressed_too(self):
        headers, body = self.get("/?lesson=gil", "br")
        self.assertEqual(headers["Content-Encoding"], "br")
        self.assertEqual(headers["Content-Type"], "text/html")
        self.assertEqual(self.brotli(["-d", "-c"], body), self.original)

    def test_files_without_siblings_are_sent_as_they_are(self):
        headers, body = self.get("/plain.css", "gzip, br")
        self.assertIsNone(headers["Content-Encoding"])
        self.assertIsNone(headers["Vary"])
        self.assertEqual(body, b"body {}")

    def test_a_sibling_older_than_its_file_is_not_used(self):
        path = os.path.join(self.dist, "app.wasm")
        for suffix in ("", ".br", ".gz"):
            os.utime(path + suffix, (1_000_000, 1_000_000 if suffix else 2_000_000))
        headers, body = self.get("/app.wasm", "gzip, br")
        self.assertIsNone(headers["Content-Encoding"])
        self.assertEqual(body, self.original)


if __name__ == "__main__":
    unittest.main(verbosity=2)
