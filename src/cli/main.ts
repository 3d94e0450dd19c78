#!/usr/bin/env -S node --max-semi-space-size=8
/*
 * The bin's entry. It is loaded by whatever `node` the user has, so it must parse and run on old
 * versions too: no static imports (a missing export is a SyntaxError before any code runs) and no
 * syntax newer than what Node 14 reads. Only after the version check does it load the real CLI.
 */

const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);

if (major < REQUIRED_MAJOR) {
  process.stderr.write(
    `llm-sidecar needs Node.js ${REQUIRED_MAJOR} or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      'Inside the project, `npm start` (or ./node_modules/.bin/node dist/cli/main.js) uses the Node 24 that `npm ci` installed.\n',
  );
  process.exitCode = 1;
} else {
  const { runCli } = await import('./run-cli.ts');
  process.exitCode = await runCli(process.argv.slice(2));
}
