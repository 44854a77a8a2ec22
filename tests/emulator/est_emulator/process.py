"""The emulator as a child process, for test suites and benchmarks that drive it from outside.

    with EmulatorProcess("--config", "projects.json") as emulator:
        emulator.admin("POST", "/seed", {"numbers": 10})
        ... talk to emulator.url ...

It listens on loopback; port 0 picks a free port, and a restart (stop, start) keeps the one it got,
so clients keep their URL. Standard error goes to a file, so a chatty server never blocks.
"""

import json
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request


class EmulatorProcess:
    def __init__(self, *args, port=0):
        self.args = args
        self.port = port
        self.url = None
        self.proc = None
        self.start()

    def start(self):
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "est_emulator", "--host", "127.0.0.1", "--port", str(self.port), *self.args],
            stdout=subprocess.PIPE, stderr=self.errors, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on "):
            self.proc.kill()
            self.proc.wait()
            self.errors.seek(0)
            raise RuntimeError(f"emulator did not start: {line}{self.errors.read()}")
        self.url = line.split()[-1]
        self.port = int(self.url.rsplit(":", 1)[1])
        self.sip_port = None
        if "--sip-port" in self.args:  # "sip on udp://HOST:N and tcp://HOST:N" follows
            sip_line = self.proc.stdout.readline()
            self.sip_port = int(sip_line.split()[-1].rsplit(":", 1)[1])
            self.args = tuple(a if i == 0 or self.args[i - 1] != "--sip-port" else str(self.sip_port)
                              for i, a in enumerate(self.args))

    def stop(self):
        """Stops the process (terminate, then kill after 10 s); answers its exit status."""
        if self.proc is None:
            return None
        self.proc.terminate()
        try:
            status = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        self.proc = None
        self.errors.close()
        return status

    def admin(self, method, path, body=None, params=None, timeout=300):
        """An admin API call (`/_emulator` + path); its JSON answer, None when empty; HTTP errors raise."""
        url = f"{self.url}/_emulator{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        request = urllib.request.Request(url, method=method, headers={"Content-Type": "application/json"},
                                         data=json.dumps(body).encode() if body is not None else None)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content = response.read()
        return json.loads(content) if content else None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()
