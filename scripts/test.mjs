// `npm test`: lint, the type check, the documentation site build, and every spec, run by node's
// own test runner.
//
// The two cores are kept busy. ESLint, the compile (`tsc -p .`, which also writes the specs to
// build/) and the site build (the longest single task) start together; the specs run three files
// at a time as soon as the compile is done, while ESLint and the site build go on (most spec
// files wait on loopback servers and child processes rather than the CPU); the site spec starts
// as soon as the site is built, beside the specs still running, against the build
// (WECHATPAY_DOCS_BUILT=1 tells it not to build again), and its report follows theirs. A lint
// failure fails the run at the end. The last line counts every test of both runs.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const SITE_SPEC = join('build', 'spec', 'docs', 'site.spec.js');
const CONCURRENCY = 3;
/**
 * How long one spec file may run before it fails as timed out: ten times the longest (the package
 * spec, about a minute on two busy cores), so that a spec waiting on something that never comes
 * fails the run in minutes, not at the CI's limit.
 */
const FILE_TIMEOUT_MS = 10 * 60_000;
/**
 * The longest spec files (about 10 s or more each on two idle cores), started first so that none
 * of them is left to run alone at the end. Only the order depends on this list.
 */
const LONGEST_FIRST = ['e2e/package.spec.js', 'sandbox/catalogue-sweep.spec.js', 'tools/generate.spec.js', 'docs/v2-pages.spec.js', 'cli/cli.spec.js'].map((file) => join('build', 'spec', file));

// Every sandbox a spec starts keeps its keys here (lib/sandbox/kept-keys.ts): generating five RSA
// keys per spec process took nearly a fifth of the specs' CPU time (190 s of user time became 154 s).
process.env.WECHATPAY_SANDBOX_KEYS_DIR = join('build', 'sandbox-keys');

const started = Date.now();
const seconds = () => Math.round((Date.now() - started) / 1000);
/** When each step ended, in seconds from the start. */
const ended = {};

/** Children still running, each the leader of its own process group, stopped if npm test ends early. */
const running = new Set();

/** Stops every child still running, with whatever it started (npm does not pass signals on to its script). */
function stopAll() {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/** Runs a command; resolves to its exit code and, when `quiet`, its output (else it shares this terminal). */
function command(file, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', detached: true });
    running.add(child);
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${file}: ${error.message}\n`)));
    child.on('close', (code, signal) => {
      running.delete(child);
      ended[args.at(-1)] = seconds();
      resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(output).toString('utf8') });
    });
  });
}

function specFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(path);
    return entry.name.endsWith('.spec.js') ? [path] : [];
  });
}

const totals = { passed: 0, failed: 0 };

/**
 * Runs spec files with the spec reporter; adds their tests (not their suites) to `totals`. The
 * report goes to this terminal as it comes, or, with `keep`, is answered once all ran (so that
 * two runs side by side do not interleave their lines).
 */
async function runSpecs(files, concurrency, { keep = false } = {}) {
  const stream = run({ files, concurrency, timeout: FILE_TIMEOUT_MS });
  stream.on('test:pass', ({ details }) => details.type !== 'suite' && (totals.passed += 1));
  stream.on('test:fail', ({ details }) => details.type !== 'suite' && (totals.failed += 1));
  const report = stream.compose(new spec());
  const kept = [];
  if (keep) report.on('data', (chunk) => kept.push(String(chunk)));
  else report.pipe(process.stdout, { end: false });
  await new Promise((resolve, reject) => report.on('end', resolve).on('error', reject));
  return kept.join('');
}

const site = command('npm', ['run', '--silent', 'docs:build'], { quiet: true });
// The specs need only the compile; the lint goes on beside them, and its verdict counts at the end.
const lint = command('npm', ['run', '--silent', 'lint']);
const typecheck = await command('npm', ['run', '--silent', 'typecheck']);
if (typecheck.code !== 0) {
  console.error('npm test: the type check failed; no spec ran');
  stopAll();
  process.exit(1);
}

const rank = (file) => (LONGEST_FIRST.includes(file) ? LONGEST_FIRST.indexOf(file) : LONGEST_FIRST.length);
const files = specFiles(join('build', 'spec'))
  .sort()
  .sort((a, b) => rank(a) - rank(b));
// The site spec starts as soon as the site is built, beside the specs still running; its report
// is printed after theirs.
const siteSpec = site.then(async (built) => {
  if (built.code !== 0) {
    totals.failed += 1;
    return `npm run docs:build failed (exit code ${built.code}):\n${built.output}`;
  }
  process.env.WECHATPAY_DOCS_BUILT = '1';
  const report = await runSpecs([SITE_SPEC], 1, { keep: true });
  ended['site spec'] = seconds();
  return report;
});
await runSpecs(files.filter((file) => file !== SITE_SPEC), CONCURRENCY);
ended.specs = seconds();
process.stdout.write(await siteSpec);

const linted = await lint;
if (linted.code !== 0) {
  console.error('npm test: lint failed');
  totals.failed += 1;
}

console.log(`\nended at (s): ${Object.entries(ended).map(([step, at]) => `${step} ${at}`).join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed === 0 ? 0 : 1;
