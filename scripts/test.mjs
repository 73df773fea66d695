// `npm test`: lint, the type check, then every spec with node's own test runner.
//
// The two cores are kept busy: ESLint and the compile (`tsc -p .`, which also writes the specs
// to build/) run side by side; then the specs run three files at a time, the documentation-site
// spec first, since its site build is the longest single task and the other files fit around it.
// Most spec files wait on loopback servers and child processes rather than the CPU.
// Node 18 and 20 take no glob, so the spec files are listed here.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SITE_SPEC = join('build', 'spec', 'docs', 'site.spec.js');
const CONCURRENCY = 3;

/** Runs a command with this terminal; resolves to its exit code. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function specs(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specs(path);
    return entry.name.endsWith('.spec.js') ? [path] : [];
  });
}

const [lint, typecheck] = await Promise.all([run('npm', ['run', '--silent', 'lint']), run('npm', ['run', '--silent', 'typecheck'])]);
if (lint !== 0 || typecheck !== 0) {
  console.error(`npm test: ${lint !== 0 ? 'lint' : 'the type check'} failed; no spec ran`);
  process.exit(1);
}

const files = specs(join('build', 'spec')).sort();
const ordered = [...files.filter((file) => file === SITE_SPEC), ...files.filter((file) => file !== SITE_SPEC)];
process.exit(await run(process.execPath, ['--test', `--test-concurrency=${CONCURRENCY}`, '--test-reporter=spec', ...ordered]));
