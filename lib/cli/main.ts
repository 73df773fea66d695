import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { inspect } from 'node:util';
import { downloadBill } from '../bill/bill';
import type { Sandbox } from '../sandbox';
import { VERSION } from '../version';
import { Wechatpay } from '../wechatpay';
import { runCall, type CallFlags } from './call';
import { downloadToFolder, type CertificateFlags } from './certificates';
import { resolveCredentials, type CredentialFlags } from './credentials';
import { formatReport, runDoctor, type DoctorFlags } from './doctor';
import { progressReporter } from './progress';
import { parsePort, runSandbox, type SandboxFlags } from './sandbox-command';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the credential flags every network command takes. */
function withCredentials(command: Command): Command {
  return command
    .option('-c, --config <file>', 'a JSON file with any of the options below (same names)')
    .option('-m, --mchid <mchid>', 'merchant id (env WECHATPAY_MCHID)')
    .option('-s, --serial <serial>', 'merchant API certificate serial (env WECHATPAY_SERIAL)')
    .option('-f, --private-key <file>', 'merchant API private key file (env WECHATPAY_PRIVATE_KEY)')
    .option('-p, --platform <id=file>', 'platform certificate or public key, repeatable (env WECHATPAY_PLATFORM_ID + WECHATPAY_PLATFORM_KEY)', collect)
    .option('-k, --apiv3-key <key>', 'APIv3 key: downloads certificates itself (env WECHATPAY_APIV3_KEY)')
    .option('--secret <key>', 'APIv2 key (env WECHATPAY_V2_KEY)')
    .option('-u, --base-url <url>', 'gateway (env WECHATPAY_BASE_URL; https://api.mch.weixin.qq.com/ by default)')
    .option('--ca <file>', 'also trust this CA certificate (the TLS sandbox’s ca.pem; env WECHATPAY_CA)')
    .option('--merchant-cert <file>', 'merchant API certificate (apiclient_cert.pem): the client certificate of --security calls (with --private-key and --secret); doctor checks the key and serial against it (env WECHATPAY_MERCHANT_CERT)');
}

/** Prints a value as pretty JSON (Buffers as text). */
function print(value: unknown): void {
  process.stdout.write(`${Buffer.isBuffer(value) ? value.toString('utf8') : JSON.stringify(value, null, 2)}\n`);
}

/** Reports a failure as `CODE: message` on stderr and sets a non-zero exit code. */
function fail(error: unknown): void {
  const { code, message, response } = error as { code?: string; message?: string; response?: { data?: unknown } };
  process.stderr.write(`${code ?? 'ERROR'}: ${message ?? String(error)}\n`);
  if (response?.data !== undefined && typeof response.data === 'object' && !Buffer.isBuffer(response.data)) process.stderr.write(`${inspect(response.data, { depth: 4 })}\n`);
  process.exitCode = 1;
}

/** Wraps a command's action so that any failure is reported by {@link fail}, never thrown. */
function guarded<A extends unknown[]>(run: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await run(...args);
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * The names the package installs the command under: `wechatpay-ts`, which `npx wechatpay-ts`
 * always resolves to this package, and the shorter `wechatpay`.
 */
export const COMMAND_NAMES = ['wechatpay-ts', 'wechatpay'] as const;

/** The name the command was run as (`process.argv[1]`'s), or `wechatpay-ts` when run another way (`node main.js`). */
export function commandName(argv: readonly string[]): (typeof COMMAND_NAMES)[number] {
  const invoked = basename(argv[1] ?? '');
  return COMMAND_NAMES.find((name) => name === invoked) ?? COMMAND_NAMES[0];
}

/** Builds the command, under `name` in its help; `main` runs it on `process.argv`. */
export function buildProgram(name: string = COMMAND_NAMES[0]): Command {
  const program = new Command(name)
    .description('Call the WeChat Pay API from the terminal, download certificates and bills, or run the local sandbox gateway')
    .version(VERSION)
    .showHelpAfterError()
    .enablePositionalOptions();

  withCredentials(
    program
      .command('call', { isDefault: true })
      .description('send one call: wechatpay v3/pay/transactions/native -X POST --json \'{...}\' (chained v3.pay.transactions.native works too)')
      .argument('<path>', 'the path, slash or chained form; v2/… goes to APIv2')
      .option('-X, --method <method>', 'HTTP method: POST when --json or --xml is given or the path is APIv2, GET otherwise')
      .option('--json <json>', 'JSON body (APIv3)')
      .option('--xml <json>', 'APIv2 fields, as a JSON object')
      .option('--security', 'APIv2: send the merchant certificate (mutual TLS)')
      .option('-q, --query <name=value>', 'query parameter, repeatable', collect)
      .option('-H, --header <name:value>', 'request header, repeatable', collect),
  ).action(guarded(async (path: string, flags: CallFlags) => {
    print((await runCall(path, flags)).data);
  }));

  const certificates = program.command('certificates').description('platform certificates');
  withCredentials(
    certificates
      .command('download')
      .description('download, decrypt and verify the platform certificates into a folder (wechatpay_<serial>.pem)')
      .requiredOption('-o, --output <dir>', 'folder to write the certificates to'),
  ).action(guarded(async (flags: CertificateFlags) => {
    for (const { serial, file, validTo } of await downloadToFolder(flags)) process.stdout.write(`${serial}\t${validTo?.toISOString() ?? ''}\t${file}\n`);
  }));

  program
    .command('sandbox')
    .description('run the local sandbox gateway until interrupted; --out DIR writes the credentials a client needs, and config.json for --config')
    .addOption(new Option('--port <port>', 'port on 127.0.0.1 (0 picks one)').argParser(parsePort).default(0))
    .addOption(new Option('--mode <mode>', 'which keys sign answers').choices(['certificate', 'public-key', 'migration']).default('certificate'))
    .option('--tls', 'serve HTTPS with mutual TLS for APIv2 /secapi calls')
    .option('-o, --out <dir>', 'write the key, certificates, CA and config.json here (key and config mode 0600)')
    .action(guarded(async (flags: SandboxFlags) => {
      // Ctrl-C is heard before anything is printed: a user (or a script) may press it as soon as
      // the first line shows, before the sandbox has been handed back here.
      const running: { sandbox?: Sandbox } = {};
      const stop = () => void (running.sandbox?.close() ?? Promise.resolve()).then(() => process.exit(0));
      process.once('SIGINT', stop).once('SIGTERM', stop);
      running.sandbox = await runSandbox(flags, (line) => process.stdout.write(`${line}\n`));
    }));

  withCredentials(
    program
      .command('doctor')
      .description('check the setup: the keys, the serial, the certificates, the clock, and a signed echo through the gateway (v3/security/echo)')
      .option('--notify-url <url>', 'also ask the gateway to send its test notification here')
      .option('--offline', 'local checks only')
      .option('--json', 'print the results as JSON'),
  ).action(guarded(async (flags: DoctorFlags) => {
    const { results, healthy } = await runDoctor(flags);
    process.stdout.write(`${flags.json ? JSON.stringify(results, null, 2) : formatReport(results)}\n`);
    process.exitCode = healthy ? 0 : 1;
  }));

  const bill = program.command('bill').description('bills');
  withCredentials(
    bill
      .command('download')
      .description('download a trade or fund-flow bill, check its digest, gunzip it, and write it to a file or stdout')
      .addOption(new Option('-t, --type <type>', 'bill kind').choices(['trade', 'fundflow']).default('trade'))
      .requiredOption('-d, --date <YYYY-MM-DD>', 'bill date')
      .option('--bill-type <type>', 'trade bills: ALL, SUCCESS, REFUND')
      .option('--account-type <type>', 'fund-flow bills: BASIC, OPERATION, FEES')
      .option('--gzip', 'have the gateway send it compressed')
      .option('-o, --output <file>', 'write here instead of stdout'),
  ).action(guarded(async (flags: CredentialFlags & { type: 'trade' | 'fundflow'; date: string; billType?: string; accountType?: string; gzip?: boolean; output?: string }) => {
    const wxpay = new Wechatpay(resolveCredentials(flags));
    const request = { type: flags.type, bill_date: flags.date, bill_type: flags.billType, account_type: flags.accountType, tar_type: flags.gzip ? ('GZIP' as const) : undefined };
    const progress = progressReporter(process.stderr);
    if (flags.output) {
      const done = await downloadBill(wxpay, request, { file: flags.output, onProgress: progress && ((bytes: number, total?: number) => progress.update(bytes, total)) });
      progress?.finish();
      process.stderr.write(`${done.bytes} bytes, ${done.hash_type} ${done.hash_value} checked, written to ${done.file}\n`);
    } else {
      const done = await downloadBill(wxpay, request, { onProgress: progress && ((bytes: number, total?: number) => progress.update(bytes, total)) });
      progress?.finish();
      process.stdout.write(done.data);
    }
  }));

  return program;
}

/** Runs the command line. */
export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram(commandName(argv)).parseAsync(argv);
}
