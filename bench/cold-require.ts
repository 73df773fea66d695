/**
 * `npm run bench`: the process CPU of a cold `require()` of the package as it is published (dist/,
 * which `npm run bench` builds first) up to its client class, beside bare axios and, when
 * `BENCH_PEER` names the folder of another package (such as an unpacked wechatpay-axios-plugin),
 * beside that one's `Wechatpay`. Each figure is the median over `BENCH_COLD_RUNS` fresh processes,
 * run in turn so that the machine's load falls on all alike; each process reports its own
 * `process.cpuUsage()` once the class is loaded, node's start-up included.
 * Target (issue tracker): at most 1.0 × the peer. A measurement: it exits 0 whatever the figures.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median } from './median';
import { positiveInteger } from './settings';

const RUNS = positiveInteger('BENCH_COLD_RUNS', 21);
const ROOT = join(__dirname, '..', '..');

/** A module to load, and the export to read from it (what a user's first line takes). */
interface Target {
  name: string;
  path: string;
  take?: string;
}

/** What each process loads: this package as published, bare axios, and the peer when given. */
function targets(): Target[] {
  const list: Target[] = [
    { name: 'node alone (node:os)', path: 'node:os' },
    { name: 'axios', path: require.resolve('axios', { paths: [ROOT] }) },
    { name: 'wechatpay-ts (dist/lib) .Wechatpay', path: join(ROOT, 'dist', 'lib'), take: 'Wechatpay' },
  ];
  const peer = process.env.BENCH_PEER;
  if (peer) list.push({ name: `peer (${peer}) .Wechatpay`, path: peer, take: 'Wechatpay' });
  return list;
}

/** One fresh process's CPU milliseconds, start-up and the require included. */
function coldCpuMs({ path, take }: Target): number {
  const load = `require(${JSON.stringify(path)})${take ? `[${JSON.stringify(take)}]` : ''}`;
  const script = `if (!${load}) throw new Error('nothing loaded'); const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const list = targets();
const samples = list.map((): number[] => []);
for (let run = 0; run < RUNS; run += 1) list.forEach((target, index) => samples[index].push(coldCpuMs(target)));
const medians = samples.map(median);
const lines = [`\n### Cold require: process CPU, median of ${RUNS} fresh processes each (node ${process.version})\n`, '| module | CPU ms |', '| --- | ---: |'];
list.forEach(({ name }, index) => lines.push(`| ${name} | ${medians[index].toFixed(1)} |`));
const ours = medians[2];
lines.push('', `wechatpay-ts / axios = ${(ours / medians[1]).toFixed(3)}`);
if (list.length > 3) lines.push(`**wechatpay-ts / peer = ${(ours / medians[3]).toFixed(3)}** (target ≤ 1.0)`);
process.stdout.write(`${lines.join('\n')}\n`);
