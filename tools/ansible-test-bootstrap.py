#!/usr/bin/env python3
"""Make sure ansible-test can bootstrap pip into the virtual environments it creates.

ansible-test creates its sanity-test (and --venv) environments without pip and then runs a
"get-pip" script that it downloads once from ci-files.testing.ansible.com and caches in
~/.ansible/test/cache/get_pip_<pip version with _>.py. Machines that reach only the package
registries cannot download it. For each pip version the installed ansible-test wants, this tool:

1. does nothing when the cache file exists (the real script, or our fallback from an earlier run);
2. otherwise tries the real download (short timeout) and caches it exactly as ansible-test would;
3. only if that fails, writes a small fallback with the same interface: it runs ``ensurepip``
   (pip's bundled wheel, no network) and then ``pip install --upgrade --force-reinstall`` with
   the arguments ansible-test passes (``pip==<version>`` ...), which come from PyPI.

Run it with the interpreter of the venv whose ansible-test is used:
    .venv-oldest/bin/python tools/ansible-test-bootstrap.py
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
import urllib.request
from pathlib import Path

MARKER = "sinch.est fallback get-pip"

FALLBACK_REVISION = 2  # bump when FALLBACK changes: older fallbacks in the cache are rewritten

FALLBACK = '''\
# {marker} (revision {revision}) -- written by tools/ansible-test-bootstrap.py because the real
# bootstrap script ({url}) could not be downloaded. Delete this file to retry the download.
# ansible-test runs it as __main__ with sys.argv[1:] = pip options + "pip==<version>" [+ more
# packages], optionally with get-pip's own --no-setuptools / --no-wheel, which this script
# handles the way get-pip.py does.
import importlib.util
import os
import subprocess
import sys

try:
    import ensurepip  # noqa: F401
except ImportError:
    sys.exit("{marker}: this Python has no ensurepip; install pip for it or provide "
             "the real get-pip script at " + __file__)

args = sys.argv[1:]
no_setuptools = "--no-setuptools" in args or bool(os.environ.get("PIP_NO_SETUPTOOLS"))
no_wheel = "--no-wheel" in args or bool(os.environ.get("PIP_NO_WHEEL"))
args = [arg for arg in args if arg not in ("--no-setuptools", "--no-wheel")]
had_setuptools = importlib.util.find_spec("setuptools") is not None
had_wheel = importlib.util.find_spec("wheel") is not None

# pip's bundled wheel, no network (on Python <= 3.11 it brings setuptools along).
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
if no_setuptools and not had_setuptools:
    subprocess.call([sys.executable, "-m", "pip", "uninstall", "-q", "-y", "setuptools"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# As get-pip.py: pip, plus setuptools and wheel unless refused or already there.
args.append("pip")
if not no_setuptools and not had_setuptools:
    args.append("setuptools")
if not no_wheel and not had_wheel:
    args.append("wheel")
subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade", "--force-reinstall"] + args)
'''


def ansible_test_dir() -> Path:
    import ansible_test  # the one in this interpreter's environment

    return Path(ansible_test.__file__).resolve().parent


def wanted_pip_versions() -> set[str]:
    """Every pip version get_venv_packages() answers for a Python 3 version ansible-test supports."""
    from ansible_test._internal import constants
    from ansible_test._internal.python_requirements import get_venv_packages

    class _Python:  # get_venv_packages() reads only .version
        def __init__(self, version: str) -> None:
            self.version = version

    versions = [v for v in constants.SUPPORTED_PYTHON_VERSIONS if not v.startswith("2.")]
    return {get_venv_packages(_Python(v))["pip"] for v in versions}


def download_url_template(root: Path) -> str:
    source = (root / "_util" / "target" / "setup" / "requirements.py").read_text()
    match = re.search(r"""url\s*=\s*['"](https://[^'"]*get-pip-%s\.py)['"]""", source)
    if not match:
        raise SystemExit("ansible-test-bootstrap: cannot find the get-pip URL in " + str(root))
    return match.group(1)


def ensure(pip_version: str, url_template: str) -> str:
    cache = Path(os.path.expanduser(f"~/.ansible/test/cache/get_pip_{pip_version.replace('.', '_')}.py"))
    current = f"{MARKER} (revision {FALLBACK_REVISION})"
    if cache.exists():
        text = cache.read_text(errors="replace")
        if MARKER not in text:
            return f"pip {pip_version}: cached (downloaded) {cache}"
        if current in text:
            return f"pip {pip_version}: cached (fallback) {cache}"
        # An older fallback of ours: replace it (the download is retried first, below).
    cache.parent.mkdir(parents=True, exist_ok=True)
    url = url_template % pip_version
    try:
        with urllib.request.urlopen(url, timeout=float(os.environ.get("GET_PIP_TIMEOUT", "10"))) as response:
            content = response.read()
        if not content.strip():
            raise ValueError("empty response")
    except Exception as error:  # noqa: BLE001 -- any failure means: use the fallback
        text = FALLBACK.format(marker=MARKER, revision=FALLBACK_REVISION, url=url)
        how = f"fallback (download failed: {type(error).__name__}: {error})"
        content = text.encode()
    else:
        how = "downloaded"
    with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as tmp:
        tmp.write(content)
    os.replace(tmp.name, cache)
    return f"pip {pip_version}: {how} -> {cache}"


def main() -> int:
    root = ansible_test_dir()
    url_template = download_url_template(root)
    for version in sorted(wanted_pip_versions()):
        print("ansible-test-bootstrap: " + ensure(version, url_template))
    return 0


if __name__ == "__main__":
    sys.exit(main())
