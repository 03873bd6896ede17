"""The README's "Deploying on a Debian server", walked for real.

The guide's command blocks are read from README.md. ``sh run`` blocks run as
written in a scratch folder standing for the server, after these
substitutions (``Server.localize``): ``/etc``, ``/var`` and ``/run`` move into
the folder; ``/srv/toasoan`` is this checkout and its ``.venv`` the
virtualenv running the tests; the test runs as itself, not as ``toasoan``;
ports 80, 443, 6081 and 8000 become free ports; the database is a fresh one on
the tests' PostgreSQL. The files of ``deploy/`` get the same substitutions
when the guide copies them.

``sh system`` blocks change the machine itself: each of their commands has a
stand-in here (``SYSTEM_COMMANDS``) that does what it stands for, and a command
without one fails the test. Above all, ``systemctl`` starts the real gunicorn,
varnishd and nginx from the unit files and configuration the guide installed,
and the chain is then asked over HTTPS what a reader and an editor would ask.

The whole walk needs PostgreSQL (``DATABASE_URL``, the PostgreSQL pass of
.ci/run), nginx and varnishd; without them, only the checks that need no
server run, and ``nginx -t`` on the site.
"""

import configparser
import gzip
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.servers import free_port

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "## Deploying on a Debian server"
DOMAIN = "baoduaxanh.vn"
VENV_BIN = Path(sys.executable).parent
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
NGINX = shutil.which("nginx", path=SYSTEM_PATH)
VARNISHD = shutil.which("varnishd", path=SYSTEM_PATH)
SYSTEMD_ANALYZE = shutil.which("systemd-analyze", path=SYSTEM_PATH)
OPENSSL = shutil.which("openssl", path=SYSTEM_PATH)
IS_ROOT = os.geteuid() == 0
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = DATABASE_URL.startswith(("postgres://", "postgresql://"))
# Packages the guide names that CI does not install: CI has its own clone and
# Python, and the test makes its certificate itself.
NOT_IN_CI = {"git", "python3-venv", "certbot"}
# Packages CI installs for itself, not for the paper (the font lays out the
# demo's and the tests' print issues; a paper's own PDFs carry their fonts).
CI_ONLY = {"postgresql-client", "chromium", "openssl", "fonts-dejavu-core"}
HSTS = "max-age=31536000; includeSubDomains; preload"


@dataclass
class Block:
    kind: str
    text: str


def guide_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start:end]
    blocks = []
    fence = None
    lines: list[str] = []
    for line in section.splitlines():
        if fence is None and line.startswith("```"):
            fence = line[3:].strip()
            lines = []
        elif fence is not None and line == "```":
            blocks.append(Block(fence, "\n".join(lines) + "\n"))
            fence = None
        elif fence is not None:
            lines.append(line)
    return blocks


def commands(text: str) -> list[str]:
    """The commands of a shell block: continued lines joined, comments and
    blank lines left out."""
    joined = text.replace("\\\n", " ")
    return [
        line.strip()
        for line in joined.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def apt_packages(text: str) -> set[str]:
    found = set()
    for command in commands(text):
        if "apt-get install" in command:
            words = command.split("apt-get install", 1)[1].split(">", 1)[0].split()
            found |= {word for word in words if not word.startswith("-")}
    return found


def environment_file(path: Path) -> dict[str, str]:
    """VAR=value lines, as systemd's EnvironmentFile reads them."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            found[name.strip()] = value.strip().strip("'\"")
    return found


def unit(path: Path) -> configparser.ConfigParser:
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    parsed.optionxform = str
    parsed.read(path, encoding="utf-8")
    return parsed


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"exited while starting:\n{log.read_text(errors='replace')}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} in {seconds} s")


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def text(self) -> str:
        if self.headers.get("Content-Encoding") == "gzip":
            return gzip.decompress(self.body).decode()
        return self.body.decode()


class Server:
    """The scratch folder that stands for the server, and its ports."""

    def __init__(self, prefix: Path, database_url: str = "", redis_url: str = ""):
        self.prefix = prefix
        self.http = free_port()
        self.https = free_port()
        self.varnish = free_port()
        self.varnish_admin = free_port()
        self.gunicorn = free_port()
        self.database_url = database_url or "postgres://u@127.0.0.1:5432/x"
        self.redis_url = redis_url
        self.cert = prefix / "etc" / "letsencrypt" / "live" / DOMAIN / "fullchain.pem"
        self.processes: list[subprocess.Popen] = []
        # The chief editor's, for createsuperuser --noinput.
        self.password = secrets.token_urlsafe(16)
        # /etc/passwd after the guide's useradd (into the scratch folder).
        self.passwd = ""
        p = str(prefix)
        redis = (
            f"REDIS_URL={redis_url}\nCACHE_KEY_PREFIX=guide-{secrets.token_hex(4)}"
            if redis_url
            else "# REDIS_URL: none here, the file cache in VAR_DIR"
        )
        substitutions: list[tuple[str, str | Callable[[re.Match], str]]] = [
            (r"runuser -u toasoan -- ", ""),
            (r" -[og] toasoan(?=\s)", ""),
            (r"(?:/srv/toasoan/)?\.venv/bin/", f"{VENV_BIN}/"),
            (r"/srv/toasoan(?![\w.-])", str(ROOT)),
            (r"(?<![\w./-])deploy/", f"{p}/deploy/"),
            (r"(?<![\w.-])/(?:etc|var|run)/", lambda match: p + match.group(0)),
            (r"postgres:///toasoan(?!\w)", self.database_url),
            (r"^REDIS_URL=redis://127\.0\.0\.1:6379/0$", redis),
            (r"127\.0\.0\.1:8000(?!\d)", f"127.0.0.1:{self.gunicorn}"),
            (r'\.port = "8000";', f'.port = "{self.gunicorn}";'),
            (r"127\.0\.0\.1:6081(?!\d)", f"127.0.0.1:{self.varnish}"),
            (r"-j unix,user=vcache", f"-j none -n {p}/varnish"),
            (r"-T localhost:6082", f"-T 127.0.0.1:{self.varnish_admin}"),
            (r"^[ \t]*listen \[::\]:.*$", ""),
            (r"listen 80(?!\d)", f"listen 127.0.0.1:{self.http}"),
            (r"listen 443(?!\d)", f"listen 127.0.0.1:{self.https}"),
            (r"manage\.py createsuperuser", "manage.py createsuperuser --noinput"),
            (r"^nginx -t$", f"{NGINX} -t {self.nginx_options()}"),
            (r"https://baoduaxanh\.vn/", f"https://{DOMAIN}:{self.https}/"),
            (
                r"^curl ",
                f"curl --max-time 30 --cacert {self.cert} "
                f"--resolve {DOMAIN}:{self.https}:127.0.0.1 ",
            ),
        ]
        self._pattern = re.compile(
            "|".join(
                f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(substitutions)
            ),
            re.MULTILINE,
        )
        self._replacements = [replacement for _, replacement in substitutions]

    def localize(self, text: str) -> str:
        """One pass: what a substitution wrote is not substituted again."""

        def replace(match: re.Match) -> str:
            replacement = self._replacements[int(match.lastgroup[1:])]
            return replacement if isinstance(replacement, str) else replacement(match)

        return self._pattern.sub(replace, text)

    def nginx_options(self) -> str:
        return (
            f"-c {self.prefix}/etc/nginx/nginx.conf "
            f"-e {self.prefix}/var/log/nginx/error.log"
        )

    # -- the fresh server: what Debian's packages leave ------------------------

    def prepare(self) -> None:
        """deploy/ with this machine's paths, and /etc and /var as apt-get
        leaves them: Debian's nginx.conf and default site, Varnish's secret,
        empty folders."""
        for source in (ROOT / "deploy").rglob("*"):
            if source.is_file():
                target = self.prefix / source.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(self.localize(source.read_text()))
        for folder in (
            "etc/systemd/system",
            "etc/varnish",
            "var/www/html",
            "var/log/nginx",
            "var/lib/nginx",
            "run",
            "home",
        ):
            (self.prefix / folder).mkdir(parents=True, exist_ok=True)
        (self.prefix / "etc/varnish/secret").write_text(secrets.token_hex(16))
        self._debian_nginx()

    def _debian_nginx(self) -> None:
        nginx = self.prefix / "etc" / "nginx"
        if Path("/etc/nginx/nginx.conf").exists():
            shutil.copytree("/etc/nginx", nginx, symlinks=True)
            shutil.rmtree(nginx / "sites-enabled")
            shutil.rmtree(nginx / "conf.d")
        else:
            nginx.mkdir(parents=True)
            (nginx / "nginx.conf").write_text(DEBIAN_NGINX_CONF)
            (nginx / "mime.types").write_text("types { text/html html; }\n")
        (nginx / "sites-enabled").mkdir()
        (nginx / "conf.d").mkdir()
        (nginx / "sites-available").mkdir(exist_ok=True)
        (nginx / "sites-available" / "default").write_text(DEBIAN_DEFAULT_SITE)
        (nginx / "sites-enabled" / "default").symlink_to(
            nginx / "sites-available" / "default"
        )
        conf = self.localize((nginx / "nginx.conf").read_text())
        # The workers read the scratch folder: the test's own user.
        user = "user root;" if IS_ROOT else ""
        conf = re.sub(r"^\s*user\s+[^;]+;", user, conf, flags=re.MULTILINE)
        conf = re.sub(r"worker_processes\s+\w+;", "worker_processes 2;", conf)
        temp = "".join(
            f"\t{kind}_temp_path {self.prefix}/var/lib/nginx/{folder};\n"
            for kind, folder in (
                ("client_body", "body"),
                ("proxy", "proxy"),
                ("fastcgi", "fastcgi"),
                ("uwsgi", "uwsgi"),
                ("scgi", "scgi"),
            )
        )
        conf = re.sub(r"^http\s*\{\n", lambda m: m.group(0) + temp, conf, flags=re.M)
        (nginx / "nginx.conf").write_text(conf)

    # -- stand-ins for what needs the machine itself ---------------------------

    def self_signed_certificate(self, domain: str) -> None:
        live = self.prefix / "etc" / "letsencrypt" / "live" / domain
        live.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                OPENSSL, "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "2", "-subj", f"/CN={domain}",
                "-addext", f"subjectAltName=DNS:{domain}",
                "-keyout", str(live / "privkey.pem"),
                "-out", str(live / "fullchain.pem"),
            ],
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self, name: str, command: list[str], port: int, **kwargs) -> None:
        log_path = self.prefix / f"{name}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(  # noqa: S603 - the guide's own commands
            command, stdout=log, stderr=subprocess.STDOUT, **kwargs
        )
        log.close()
        self.processes.append(process)
        wait_for_port(port, process, log_path)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def start_gunicorn(self) -> None:
        service = unit(self.prefix / "etc/systemd/system/toasoan-web.service")
        section = service["Service"]
        env = {
            "PATH": SYSTEM_PATH,
            "LANG": "C.UTF-8",
            **environment_file(Path(section["EnvironmentFile"])),
            # Not cores + 1 on a big CI machine.
            "WEB_CONCURRENCY": "2",
        }
        self.start(
            "gunicorn",
            shlex.split(section["ExecStart"]),
            self.gunicorn,
            cwd=section["WorkingDirectory"],
            env=env,
        )

    def start_varnish(self) -> None:
        override = unit(
            self.prefix / "etc/systemd/system/varnish.service.d/override.conf"
        )
        self.start(
            "varnish", shlex.split(override["Service"]["ExecStart"]), self.varnish
        )

    def start_nginx(self) -> None:
        self.start(
            "nginx",
            [NGINX, *shlex.split(self.nginx_options()), "-g", "daemon off;"],
            self.https,
        )

    # -- asking it ------------------------------------------------------------

    def fetch(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        tls: bool = True,
        name: str = DOMAIN,
        source: str = "127.0.0.1",
    ) -> Answer:
        port = self.https if tls else self.http
        sock = socket.create_connection(
            ("127.0.0.1", port), timeout=30, source_address=(source, 0)
        )
        if tls:
            context = ssl.create_default_context(cafile=str(self.cert))
            sock = context.wrap_socket(sock, server_hostname=name)
        connection = http.client.HTTPConnection(name, port, timeout=30)
        connection.sock = sock
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()


# When this machine has no nginx installed: the lines of Debian 12's that matter.
DEBIAN_NGINX_CONF = """user www-data;
worker_processes auto;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log;
events {
\tworker_connections 768;
}
http {
\tsendfile on;
\ttcp_nopush on;
\ttypes_hash_max_size 2048;
\tinclude /etc/nginx/mime.types;
\tdefault_type application/octet-stream;
\tssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
\tssl_prefer_server_ciphers on;
\taccess_log /var/log/nginx/access.log;
\tgzip on;
\tinclude /etc/nginx/conf.d/*.conf;
\tinclude /etc/nginx/sites-enabled/*;
}
"""

# Debian's /etc/nginx/sites-available/default, without its comments.
DEBIAN_DEFAULT_SITE = """server {
\tlisten 80 default_server;
\tlisten [::]:80 default_server;
\troot /var/www/html;
\tindex index.html index.htm index.nginx-debian.html;
\tserver_name _;
\tlocation / {
\t\ttry_files $uri $uri/ =404;
\t}
}
"""


# ----------------------------------------------------------------------------
# What the `sh system` commands stand for.


def _postgres_env() -> dict[str, str]:
    url = urlsplit(DATABASE_URL)
    env = {"PATH": SYSTEM_PATH, "PGHOST": url.hostname or "127.0.0.1"}
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = url.password
    return env


class Walk:
    """Stand-ins for the commands that change the machine itself, by pattern.
    Each returns nothing; what it cannot do here it checks."""

    def __init__(self, server: Server, name: str):
        self.server = server
        self.name = name  # the role and database standing for "toasoan"

    def handlers(self) -> list[tuple[str, Callable[[str], None]]]:
        return [
            (r"apt-get update", self.nothing),
            (r"apt-get install .+", self.nothing),  # GuideTextTests
            (r"useradd .+ toasoan", self.useradd),
            (r"runuser -u postgres -- create(user|db) .+", self.postgres),
            (r'git clone "\$REPOSITORY" /srv/toasoan', self.nothing),  # CI's clone
            (r"python3 -m venv /srv/toasoan/\.venv", self.nothing),  # make install
            (r"/srv/toasoan/\.venv/bin/pip install -r .+", self.nothing),
            (r"cd /srv/toasoan", self.nothing),
            (r"systemctl daemon-reload", self.nothing),
            (r"systemctl enable --now toasoan-web\.service .+", self.web),
            (r"systemctl restart varnish", self.varnish),
            (r"certbot certonly .+", self.certbot),
            (r"systemctl reload nginx", self.nginx),
        ]

    def handler(self, command: str) -> Callable[[str], None] | None:
        for pattern, handle in self.handlers():
            if re.fullmatch(pattern, command):
                return handle
        return None

    def nothing(self, command: str) -> None:
        pass

    def useradd(self, command: str) -> None:
        if not IS_ROOT:
            return
        etc = self.server.prefix / "etc"
        for name in ("passwd", "group", "shadow", "gshadow", "login.defs"):
            if Path("/etc", name).exists():
                shutil.copy(Path("/etc", name), etc / name)
        words = shlex.split(command)
        subprocess.run(  # noqa: S603 - the guide's command, in a chroot
            [words[0], "-R", str(self.server.prefix), *words[1:]],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        self.server.passwd = (etc / "passwd").read_text()

    def postgres(self, command: str) -> None:
        words = shlex.split(command)[4:]  # after "runuser -u postgres --"
        words = [self.name if word == "toasoan" else word for word in words]
        subprocess.run(  # noqa: S603 - createuser / createdb
            words, check=True, capture_output=True, text=True, env=_postgres_env()
        )

    def web(self, command: str) -> None:
        units = self.server.prefix / "etc" / "systemd" / "system"
        timers = command.split("toasoan-web.service", 1)[1]
        assert "ls *.timer" in timers, command
        assert list(units.glob("toasoan-*.timer")), "no timer was installed"
        self.server.start_gunicorn()

    def varnish(self, command: str) -> None:
        self.server.start_varnish()

    def certbot(self, command: str) -> None:
        words = shlex.split(command)
        webroot = Path(self.server.localize(words[words.index("-w") + 1]))
        assert webroot.is_dir(), webroot
        self.server.self_signed_certificate(words[words.index("-d") + 1])

    def nginx(self, command: str) -> None:
        self.server.start_nginx()


def run_block(server: Server, block: Block) -> subprocess.CompletedProcess:
    script = server.localize(block.text)
    done = subprocess.run(  # noqa: S603 - the guide's own commands
        ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607
        cwd=ROOT,
        env={
            "PATH": SYSTEM_PATH,
            "LANG": "C.UTF-8",
            "HOME": str(server.prefix / "home"),
            "DJANGO_SUPERUSER_PASSWORD": server.password,
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise AssertionError(
            f"The guide's block failed:\n{script}\n--- output:\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return done


# ----------------------------------------------------------------------------


class GuideTextTests(unittest.TestCase):
    """What needs no server: the blocks' tags, the system commands' stand-ins,
    the packages, the units, the certificate's paths, the body cap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.blocks = guide_blocks()
        cls.prefix = Path(tempfile.mkdtemp(prefix="toasoan-guide-text-"))
        cls.addClassCleanup(shutil.rmtree, cls.prefix, ignore_errors=True)
        cls.server = Server(cls.prefix)
        cls.server.prepare()

    def test_every_block_says_how_it_is_tested(self):
        self.assertGreater(len(self.blocks), 10)
        for block in self.blocks:
            with self.subTest(block.text[:40]):
                self.assertIn(block.kind, {"sh run", "sh system"})

    def test_every_system_command_has_a_stand_in(self):
        walk = Walk(self.server, "unused")
        for block in self.blocks:
            if block.kind == "sh system":
                for command in commands(block.text):
                    with self.subTest(command):
                        self.assertIsNotNone(walk.handler(command))

    def test_the_packages_are_what_ci_installs(self):
        guide = set()
        for block in self.blocks:
            guide |= apt_packages(block.text)
        ci = apt_packages((ROOT / ".ci" / "run").read_text())

        self.assertLessEqual(guide - NOT_IN_CI, ci)
        self.assertLessEqual(ci - CI_ONLY, guide)

    def test_systemd_reads_the_units_the_guide_installs(self):
        if SYSTEMD_ANALYZE is None:
            self.skipTest("systemd-analyze is not installed")
        units = self.prefix / "deploy" / "systemd"
        names = sorted(path.name for path in units.iterdir())
        override = self.prefix / "units" / "varnish.service.d"
        override.mkdir(parents=True)
        shutil.copy(self.prefix / "deploy/varnish/override.conf", override)
        checks = [[str(units / name) for name in names]]
        if Path("/lib/systemd/system/varnish.service").exists():
            checks.append(["varnish.service"])
        for arguments in checks:
            checked = subprocess.run(  # noqa: S603 - fixed arguments
                [SYSTEMD_ANALYZE, "verify", *arguments],
                capture_output=True,
                text=True,
                cwd=self.prefix,
                env={
                    "PATH": SYSTEM_PATH,
                    "SYSTEMD_UNIT_PATH": f"{self.prefix / 'units'}:",
                },
            )
            # Warnings (an unknown key) count as failures too.
            self.assertEqual(
                (checked.returncode, checked.stderr.strip()), (0, ""), arguments
            )

    def test_certbots_certificate_and_challenges_are_where_nginx_looks(self):
        certbot = next(
            command
            for block in self.blocks
            for command in commands(block.text)
            if command.startswith("certbot ")
        )
        words = shlex.split(certbot)
        webroot, domain = words[words.index("-w") + 1], words[words.index("-d") + 1]
        conf = (ROOT / "deploy/nginx/toasoan.conf").read_text()

        live = f"/etc/letsencrypt/live/{domain}"
        self.assertIn(f"ssl_certificate {live}/fullchain.pem;", conf)
        self.assertIn(f"ssl_certificate_key {live}/privkey.pem;", conf)
        self.assertRegex(
            conf,
            r"location /\.well-known/acme-challenge/ \{[^}]*root "
            + re.escape(webroot)
            + ";",
        )

    def test_the_body_cap_is_just_above_the_largest_photo(self):
        conf = (ROOT / "deploy/nginx/toasoan.conf").read_text()
        cap = int(re.search(r"client_max_body_size (\d+)m;", conf)[1]) * 2**20

        self.assertGreater(cap, settings.PHOTO_MAX_BYTES)
        self.assertLessEqual(cap, settings.PHOTO_MAX_BYTES + 2 * 2**20)
        self.assertGreater(cap, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    def test_the_video_forms_cap_is_just_above_the_largest_video(self):
        conf = (ROOT / "deploy/nginx/toasoan.conf").read_text()
        block = re.search(r"location ~ \^/quan-tri/articles/video/[^{]*\{[^}]*\}", conf)
        cap = int(re.search(r"client_max_body_size (\d+)m;", block[0])[1]) * 2**20
        self.assertGreater(cap, settings.VIDEO_MAX_BYTES)
        self.assertLessEqual(cap, settings.VIDEO_MAX_BYTES + 2 * 2**20)


@unittest.skipUnless(NGINX and OPENSSL, "nginx and openssl: apt-get install nginx")
class NginxStepTests(unittest.TestCase):
    """Step 9 alone: Debian's nginx takes the site (``nginx -t``)."""

    def test_nginx_accepts_the_site_in_place_of_debians_default(self):
        prefix = Path(tempfile.mkdtemp(prefix="toasoan-guide-nginx-"))
        self.addCleanup(shutil.rmtree, prefix, ignore_errors=True)
        server = Server(prefix)
        server.prepare()
        server.self_signed_certificate(DOMAIN)
        block = next(b for b in guide_blocks() if "nginx -t" in b.text)

        done = run_block(server, block)

        self.assertIn("test is successful", done.stderr)
        self.assertFalse((prefix / "etc/nginx/sites-enabled/default").is_symlink())
        self.assertTrue((prefix / "etc/nginx/sites-enabled/toasoan").is_symlink())


@unittest.skipUnless(
    ON_POSTGRESQL and NGINX and VARNISHD and OPENSSL,
    "needs PostgreSQL (DATABASE_URL), nginx, varnishd and openssl; CI has them",
)
class GuideWalkTests(unittest.TestCase):
    """The whole guide, in order, then the running chain asked over HTTPS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prefix = Path(tempfile.mkdtemp(prefix="toasoan-guide-"))
        cls.addClassCleanup(shutil.rmtree, cls.prefix, ignore_errors=True)
        name = f"toasoan_guide_{secrets.token_hex(4)}"
        url = urlsplit(DATABASE_URL)
        cls.database_url = urlunsplit(url._replace(path=f"/{name}"))
        cls.addClassCleanup(cls._drop_database, name)
        cls.server = Server(
            cls.prefix, cls.database_url, os.environ.get("REDIS_URL", "")
        )
        cls.addClassCleanup(cls.server.stop)
        cls.server.prepare()
        walk = Walk(cls.server, name)
        for block in guide_blocks():
            if block.kind == "sh run":
                run_block(cls.server, block)
                continue
            for command in commands(block.text):
                handle = walk.handler(command)
                if handle is None:
                    raise AssertionError(f"no stand-in for {command!r}")
                handle(command)

    @staticmethod
    def _drop_database(name: str) -> None:
        env = _postgres_env()
        for command in (
            ["dropdb", "--if-exists", "--force", name],
            ["dropuser", "--if-exists", name],
        ):
            subprocess.run(command, env=env, capture_output=True)  # noqa: S603

    def query(self, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql).fetchall()

    def test_the_home_page_comes_over_https_through_varnish(self):
        first = self.server.fetch("/", headers={"Accept-Encoding": "gzip"})
        second = self.server.fetch("/", headers={"Accept-Encoding": "gzip"})

        self.assertEqual((first.status, second.status), (200, 200))
        self.assertEqual(second.headers["X-Cache"], "HIT")
        # One HSTS header, nginx's, on every answer.
        self.assertEqual(second.headers.get_all("Strict-Transport-Security"), [HSTS])
        self.assertEqual(second.headers["Content-Encoding"], "gzip")
        self.assertIn("</html>", second.text())
        # nginx's request id reached Django (BEHIND_PROXY=1) and came back.
        self.assertRegex(first.headers["X-Request-ID"], r"^[0-9a-f]{32}$")
        self.assertNotIn("nginx/", first.headers.get("Server", ""))

    def test_health_through_the_chain(self):
        health = self.server.fetch("/healthz")

        self.assertEqual(health.status, 200)
        self.assertEqual(json.loads(health.body)["status"], "ok")

    def test_plain_http_moves_to_https_but_serves_certbots_challenges(self):
        moved = self.server.fetch("/chuyen-muc/thoi-su/?trang=2", tls=False)
        challenge = self.prefix / "var/www/html/.well-known/acme-challenge/abc123"
        challenge.parent.mkdir(parents=True)
        challenge.write_text("abc123.key")
        answered = self.server.fetch("/.well-known/acme-challenge/abc123", tls=False)

        self.assertEqual(moved.status, 301)
        self.assertEqual(
            moved.headers["Location"], f"https://{DOMAIN}/chuyen-muc/thoi-su/?trang=2"
        )
        self.assertEqual((answered.status, answered.body), (200, b"abc123.key"))

    def test_another_name_gets_no_answer(self):
        with self.assertRaises(ssl.SSLError):
            self.server.fetch("/", name="example.com")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.server.fetch("/", tls=False, name="example.com")

    def test_static_files_are_fingerprinted_and_kept_for_a_year(self):
        home = self.server.fetch("/").text()
        css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home)[1]

        answer = self.server.fetch(css, headers={"Accept-Encoding": "gzip"})

        self.assertEqual(answer.status, 200)
        self.assertTrue(answer.headers["Content-Type"].startswith("text/css"))
        self.assertIn("immutable", answer.headers["Cache-Control"])
        self.assertEqual(answer.headers["Content-Encoding"], "gzip")
        self.assertEqual(answer.headers["X-Content-Type-Options"], "nosniff")

    def test_photos_come_from_disk(self):
        media = self.prefix / "var/lib/toasoan/media/photos/2026/12"
        media.mkdir(parents=True, exist_ok=True)
        (media / "cau-rach-mieu.webp").write_bytes(b"RIFF....WEBPVP8 ")

        photo = self.server.fetch("/media/photos/2026/12/cau-rach-mieu.webp")
        missing = self.server.fetch("/media/photos/2026/12/khong-co.webp")

        self.assertEqual(photo.status, 200)
        self.assertEqual(photo.body, b"RIFF....WEBPVP8 ")
        self.assertEqual(photo.headers["Content-Type"], "image/webp")
        self.assertEqual(photo.headers["Cache-Control"], "public, max-age=604800")
        self.assertEqual(photo.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(photo.headers.get_all("Strict-Transport-Security"), [HSTS])
        self.assertEqual(missing.status, 404)
        self.assertNotIn("X-Request-ID", missing.headers)  # nginx's, not Django's

    def test_nginx_refuses_an_upload_over_the_cap_and_passes_the_largest_photo(self):
        cap = 21 * 2**20
        too_big = self.server.fetch(
            "/quan-tri/articles/photo/add/",
            method="POST",
            headers={"Content-Length": str(cap + 1)},
            body=b"",
        )
        largest = self.server.fetch(
            "/quan-tri/articles/photo/add/",
            method="POST",
            headers={"Content-Type": "application/octet-stream"},
            body=b"x" * (settings.PHOTO_MAX_BYTES + 2**16),
        )

        self.assertEqual(too_big.status, 413)
        # Django's answer (no session: the CSRF refusal), not nginx's.
        self.assertNotEqual(largest.status, 413)
        self.assertIn("X-Request-ID", largest.headers)

    def test_the_chief_editor_signs_in_and_django_sees_https_and_the_reader(self):
        # From another address than nginx's own, with a forged header first.
        reader = {"source": "127.0.0.2"}
        forged = {"X-Forwarded-For": "203.0.113.9"}
        form = self.server.fetch("/quan-tri/login/", headers=forged, **reader)
        self.assertEqual(form.status, 200)  # no redirect: Django saw https
        csrf_cookie = next(
            cookie
            for cookie in form.headers.get_all("Set-Cookie")
            if cookie.startswith("csrftoken=")
        )
        self.assertIn("Secure", csrf_cookie)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text())[1]

        signed_in = self.server.fetch(
            "/quan-tri/login/",
            method="POST",
            headers={
                **forged,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": csrf_cookie.split(";", 1)[0],
                "Origin": f"https://{DOMAIN}",
                "Referer": f"https://{DOMAIN}/quan-tri/login/",
            },
            body=(
                f"csrfmiddlewaretoken={token}&username=tongbientap"
                f"&password={self.server.password}&next=/quan-tri/"
            ).encode(),
            **reader,
        )

        self.assertEqual(signed_in.status, 302)
        self.assertEqual(signed_in.headers["Location"], "/quan-tri/")
        session = next(
            cookie
            for cookie in signed_in.headers.get_all("Set-Cookie")
            if cookie.startswith("sessionid=")
        )
        self.assertIn("Secure", session)
        # First sign-in of an administrator: the authenticator app comes first.
        admin = self.server.fetch(
            "/quan-tri/", headers={"Cookie": session.split(";", 1)[0]}
        )
        self.assertEqual(admin.status, 302)
        self.assertIn("xac-thuc-hai-buoc", admin.headers["Location"])
        self.assertEqual(
            self.query("SELECT host(ip_address) FROM axes_accesslog"), [("127.0.0.2",)]
        )

    def test_the_paper_user_was_made(self):
        if not IS_ROOT:
            self.skipTest("useradd -R needs root")
        self.assertRegex(
            self.server.passwd,
            r"(?m)^toasoan:x:\d+:\d+::/srv/toasoan:/usr/sbin/nologin$",
        )
