"""docs/quickstart.md, followed as written: a new project (``startproject``), the page's
settings for an S3-compatible server (SeaweedFS here), the bucket made and set up by the
page's commands, its app files and template, and a file that goes from Chromium into the
bucket. The page's code is read from the page itself, so the page cannot drift from what
works."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from devtools.ports import free_port
from devtools.processes import stop_group, wait_until_up
from devtools.seaweedfs import ACCESS_KEY, SECRET_KEY

DOC = Path(__file__).parents[2] / "docs" / "quickstart.md"
#: What the page uses as an example S3-compatible server: its URL and keys.
EXAMPLE_ENDPOINT = "http://127.0.0.1:9000"
EXAMPLE_KEY = "minioadmin"


def code_blocks(language: str) -> list[str]:
    """The page's fenced code blocks in ``language``, in order."""
    text = DOC.read_text()
    return re.findall(rf"^```{re.escape(language)}\n(.*?)^```", text, re.M | re.S)


def manage_commands(block: str) -> list[list[str]]:
    """The ``python manage.py ...`` commands of a console block (continued lines joined)."""
    joined = block.replace("\\\n", "")
    commands = []
    for line in joined.splitlines():
        line = line.split("  #")[0].strip()
        if line.startswith("python manage.py "):
            commands.append(shlex.split(line)[2:])
    return commands


def settings_lines(block: str) -> str:
    """A settings block as lines to append to the project's settings: the lists whose items
    the page abbreviates with ``# ...`` are extended, the rest assigned."""
    names: dict[str, Any] = {}
    exec(block, names)  # noqa: S102 (the page's own code)
    lines = []
    for name, value in names.items():
        if not name.isupper():
            continue
        if isinstance(value, list) and "# ..." in block.split(f"{name} = [")[1].split("]")[0]:
            lines.append(f"{name} += {value!r}")
        else:
            lines.append(f"{name} = {value!r}")
    return "\n".join(lines) + "\n"


def app_files(block: str) -> dict[str, str]:
    """A block of several files, each introduced by a ``# path`` comment, split up."""
    parts = re.split(r"^# (\S+\.py)\b.*\n", block, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def project_env() -> dict[str, str]:
    """The environment of the new project's commands: its own settings, not the tests'."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}


def manage(project: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=project_env(),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_quick_start_as_written_uploads_straight_to_the_bucket(
    page, s3_server, tmp_path: Path
):
    bucket = f"quickstart-{uuid.uuid4().hex[:12]}"
    port = free_port()
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", "."], cwd=project, check=True
    )
    manage(project, "startapp", "reports")

    # 3. Settings: the apps and middleware, the S3-compatible storage, the origins.
    python = code_blocks("python")
    apps_and_middleware = next(b for b in python if b.startswith("# settings.py"))
    storage = next(b for b in python if "endpoint_url" in b)
    origins = next(b for b in python if b.startswith("S3FILE_CORS_ORIGINS"))
    storage = (
        storage.replace(EXAMPLE_ENDPOINT, s3_server.endpoint_url)
        .replace(f'"access_key": "{EXAMPLE_KEY}"', f'"access_key": "{ACCESS_KEY}"')
        .replace(f'"secret_key": "{EXAMPLE_KEY}"', f'"secret_key": "{SECRET_KEY}"')
        .replace('"my-bucket"', f'"{bucket}"')
    )
    settings = project / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text()
        + settings_lines(apps_and_middleware)
        + 'INSTALLED_APPS += ["reports"]\n'  # step 5: "then "reports" in INSTALLED_APPS"
        + settings_lines(storage)
        + settings_lines(origins.replace(":8000", f":{port}"))
    )

    # 5. The app's files and its template.
    files = app_files(next(b for b in python if b.startswith("# reports/models.py")))
    for name, source in files.items():
        (project / name).write_text(source)
    template = project / "reports" / "templates" / "upload.html"
    template.parent.mkdir()
    template.write_text(code_blocks("html+django")[0])

    # 2. and 4. The bucket, made and set up by the page's commands; then step 5's.
    consoles = [cmd for block in code_blocks("console") for cmd in manage_commands(block)]
    make_bucket = next(cmd for cmd in consoles if cmd[:2] == ["shell", "-c"])
    manage(project, *make_bucket)
    assert ["s3file_bucket", "--apply"] in consoles
    assert "is ready for direct uploads" in manage(project, "s3file_bucket", "--apply")
    text = DOC.read_text()
    for command in re.findall(r"`python manage\.py (makemigrations \w+|migrate)`", text):
        manage(project, *command.split())

    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=project,
        env=project_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/upload/"
        wait_until_up(url, server)
        posts: list[tuple[str, int]] = []
        page.on(
            "request",
            lambda r: (
                posts.append((r.url, len(r.post_data_buffer or b"")))
                if r.method == "POST"
                else None
            ),
        )
        page.goto(url)
        page.fill("input[name=title]", "Quarterly")
        body = b"%PDF-1.7 " + os.urandom(256 * 1024)
        page.set_input_files(
            "input[name=file]",
            {"name": "q3.pdf", "mimeType": "application/pdf", "buffer": body},
        )
        page.click("button")
        expect(page.locator("input[name=title]")).to_have_value("")  # redirected: saved
    finally:
        stop_group(server)

    # The file went to the bucket, the form's POST carried the key, not the bytes.
    assert [u for u, _ in posts] == [f"{s3_server.endpoint_url}/{bucket}", url]
    assert posts[1][1] < 2048
    client = s3_server.client()
    objects = client.list_objects_v2(Bucket=bucket, Prefix="reports/")["Contents"]
    assert [(o["Key"], o["Size"]) for o in objects] == [("reports/q3.pdf", len(body))]
