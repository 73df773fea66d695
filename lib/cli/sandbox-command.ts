import { InvalidArgumentError } from 'commander';
import { Sandbox, type SandboxMode } from '../sandbox';
import { makeOutDirectory, writeSandboxFiles } from './sandbox-files';

/** The flags of `wechatpay sandbox`, as commander parses them. */
export interface SandboxFlags {
  port: number;
  mode: SandboxMode;
  tls?: boolean;
  out?: string;
}

/** Commander's parser for `--port`: a whole number from 0 (pick a free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number from 0 (pick a free one) to 65535');
  return port;
}

/**
 * Starts the sandbox and says so through `print`, a line at a time: where it listens and, with
 * `--out`, where the credentials went and the one command to run next; without `--out`, how to
 * get them, for keys are never printed. Resolves with the running sandbox; when the files cannot
 * be written, closes it again and rejects.
 */
export async function runSandbox(flags: SandboxFlags, print: (line: string) => void): Promise<Sandbox> {
  // With --out, the keys stay in DIR too: started again there, the sandbox keeps the credentials it wrote.
  const keysDir = flags.out === undefined ? undefined : makeOutDirectory(flags.out);
  const sandbox = await Sandbox.start({ port: flags.port, mode: flags.mode, tls: flags.tls, keysDir });
  print(`sandbox gateway on ${sandbox.baseURL} (merchant ${sandbox.mchid}, ${flags.mode}${flags.tls ? ', TLS' : ''}); Ctrl-C stops it`);
  if (flags.out === undefined) {
    print('give --out DIR to write the credentials a client needs (keys are never printed)');
    return sandbox;
  }
  try {
    const next = writeSandboxFiles(sandbox, flags.out, flags.tls === true);
    print(`credentials written to ${flags.out}; next:`);
    print(next);
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return sandbox;
}
