/**
 * `npm run bench`: what `new Wechatpay(options)` costs, in CPU and wall time per client, for an
 * APIv3 client (key, serial, platform key, APIv3 key) and for one that also holds the APIv2
 * secret and merchant certificate (whose TLS context is built at construction, so that no key
 * stays reachable from the client). Keys come as PEM text, so each client parses them as a
 * process holding many merchants does. Target (issue tracker): at most 2 ms for an APIv3 client.
 * A measurement: it exits 0 whatever the figures. `BENCH_CLIENTS` tunes it.
 */
import { Wechatpay, type WechatpayOptions } from '../lib';
import { Sandbox } from '../lib/sandbox';
import { positiveInteger } from './settings';

const CLIENTS = positiveInteger('BENCH_CLIENTS', 500);
const TARGET_MS = 2;

/** CPU and wall milliseconds per construction, after a warm-up of a tenth as many. */
function perClient(options: WechatpayOptions): { cpu: number; wall: number } {
  for (let i = 0; i < CLIENTS / 10; i += 1) new Wechatpay(options);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < CLIENTS; i += 1) new Wechatpay(options);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000 / CLIENTS, wall: wall / CLIENTS };
}

async function main(): Promise<void> {
  const sandbox = await Sandbox.start({ mode: 'public-key' });
  try {
    const { merchant, secret, ...v3 } = sandbox.clientOptions;
    const cases: Array<[string, WechatpayOptions]> = [
      ['APIv3 (key, serial, public key, APIv3 key)', { ...v3, apiv3Key: sandbox.apiv3Key }],
      ['APIv3 and APIv2 (also the secret and the merchant certificate)', { ...v3, merchant, secret, apiv3Key: sandbox.apiv3Key }],
    ];
    const lines = [`\n### new Wechatpay(options): ${CLIENTS} clients per case (node ${process.version})\n`, '| client | CPU ms/client | wall ms/client |', '| --- | ---: | ---: |'];
    const figures = cases.map(([name, options]) => ({ name, ...perClient(options) }));
    for (const { name, cpu, wall } of figures) lines.push(`| ${name} | ${cpu.toFixed(2)} | ${wall.toFixed(2)} |`);
    const v3Cpu = figures[0].cpu;
    lines.push('', `**APIv3 client: ${v3Cpu.toFixed(2)} ms CPU** (target ≤ ${TARGET_MS} ms): **${v3Cpu <= TARGET_MS ? 'PASS' : 'OVER'}**\n`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await sandbox.close();
  }
}

void main();
