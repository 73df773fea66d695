// The real `wechatpay` binary (the compiled entry with its shebang) run as a child process, as a
// user runs it: a one-shot command whose output is collected, or a `wechatpay sandbox` left running.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

/** The compiled `wechatpay` entry (what package.json's `bin` runs). */
export const BIN = join(__dirname, '..', '..', 'lib', 'cli', 'bin.js');

/** What a finished command printed, and its exit code. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits. */
function collect(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `wechatpay …args` with only PATH and `env` in its environment, in `cwd` if given. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliResult> {
  return collect(spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env }, cwd }));
}

/**
 * Runs a line of POSIX shell in which `npx wechatpay-ts` runs the binary (any other npx call
 * fails): a printed command, exactly as a user pastes it in a project that installed the package.
 */
export function runShellLine(line: string): Promise<CliResult> {
  const npx = 'npx() { [ "$1" = wechatpay-ts ] || { echo "npx $1: not this package" >&2; return 127; }; shift; "$WECHATPAY_NODE" "$WECHATPAY_BIN" "$@"; }';
  return collect(spawn('sh', ['-c', `${npx}\n${line}`], { env: { PATH: process.env.PATH, WECHATPAY_NODE: process.execPath, WECHATPAY_BIN: BIN } }));
}

/** A running `wechatpay sandbox` and what it printed so far. */
export interface CliSandbox {
  child: ChildProcessWithoutNullStreams;
  printed: string;
}

/** Starts `wechatpay sandbox …args` and resolves once its stdout matches `until`; rejects if it exits first, with what it printed. */
export function startCliSandbox(args: string[], until: RegExp): Promise<CliSandbox> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { env: { PATH: process.env.PATH } });
  let printed = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`wechatpay sandbox exited (${code}): ${printed}${stderr}`)));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (until.test(printed)) resolve({ child, printed });
    });
  });
}

/** Interrupts a running `wechatpay sandbox` as Ctrl-C does and resolves with its exit code. */
export function interrupt(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}
