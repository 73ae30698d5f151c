#!/usr/bin/env python3
"""scripts/serve.py, end to end: a real server on a free port, real requests.

What a local static server must not do: write a client's control characters raw into the
terminal's log, drop the connection on a path it cannot open, follow a symlink out of the folder
it serves, or answer a page from another site that a DNS rebinding pointed at 127.0.0.1.

  python3 tests/scripts/test_serve.py        (CTest runs it as Scripts.serve)
"""
import http.client
import os
import re
import select
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

    def request(self, path, host=None):
        """(status, body) of a GET; host=None sends the usual 127.0.0.1:port."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_host=host is not None)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
