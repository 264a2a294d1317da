"""Start a real Apache httpd (Debian's apache2-bin) on 127.0.0.1 serving a folder, with
``.htaccess`` files enabled, so the site's redirect rules are tested as w3id.org runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from serving import free_port

MODULES = Path("/usr/lib/apache2/modules")

CONFIG = """\
ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
DefaultRuntimeDir "{root}"
ErrorLog "{root}/error.log"
LogLevel warn
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule dir_module {modules}/mod_dir.so
LoadModule rewrite_module {modules}/mod_rewrite.so
{user}
TypesConfig /dev/null
DocumentRoot "{docs}"
<Directory "/">
  AllowOverride None
  Require all denied
</Directory>
<Directory "{docs}">
  AllowOverride All
  Options FollowSymLinks
  Require all granted
</Directory>
"""


def apache_binary() -> str:
    return shutil.which("apache2") or "/usr/sbin/apache2"


@contextmanager
def start_apache(root: Path, docs: Path):
    """Apache serving ``docs`` at http://127.0.0.1:PORT/ (yields that URL). As root it
    serves as ``nobody``, so ``root`` and ``docs`` must be readable by everyone."""
    port = free_port()
    user = "User nobody\nGroup nogroup" if os.geteuid() == 0 else ""
    conf = root / "httpd.conf"
    conf.write_text(
        CONFIG.format(root=root, port=port, modules=MODULES, user=user, docs=docs),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [apache_binary(), "-f", str(conf), "-DFOREGROUND"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                out = process.stdout.read().decode() if process.stdout else ""
                log = (root / "error.log").read_text() if (root / "error.log").exists() else ""
                raise RuntimeError(f"apache2 exited: {out}{log}")
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
