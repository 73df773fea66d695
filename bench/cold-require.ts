/**
 * `npm run bench`: the process CPU of a cold `require()` of the package, beside bare axios and,
 * when `BENCH_PEER` names the folder of another package (such as an unpacked
 * wechatpay-axios-plugin), beside that one. Each figure is the median over `BENCH_COLD_RUNS`
 * fresh processes, run in turn so that the machine's load falls on all alike; each process
 * reports its own `process.cpuUsage()` once the module is loaded, node's start-up included.
 * Target (issue tracker): at most 1.0 × the peer. A measurement: it exits 0 whatever the figures.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median } from './median';
import { positiveInteger } from './settings';

const RUNS = positiveInteger('BENCH_COLD_RUNS', 21);
const ROOT = join(__dirname, '..', '..');

/** What each process loads: this package as compiled, bare axios, and the peer when given. */
function targets(): Array<[string, string]> {
  const list: Array<[string, string]> = [
    ['node alone (node:os)', 'node:os'],
    ['axios', require.resolve('axios', { paths: [ROOT] })],
    ['wechatpay-ts (build/lib)', join(ROOT, 'build', 'lib')],
  ];
  const peer = process.env.BENCH_PEER;
  if (peer) list.push([`peer (${peer})`, peer]);
  return list;
}

/** One fresh process's CPU milliseconds, start-up and the require included. */
function coldCpuMs(target: string): number {
  const script = `require(${JSON.stringify(target)}); const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const list = targets();
const samples = list.map((): number[] => []);
for (let run = 0; run < RUNS; run += 1) list.forEach(([, target], index) => samples[index].push(coldCpuMs(target)));
const medians = samples.map(median);
const lines = [`\n### Cold require: process CPU, median of ${RUNS} fresh processes each (node ${process.version})\n`, '| module | CPU ms |', '| --- | ---: |'];
list.forEach(([name], index) => lines.push(`| ${name} | ${medians[index].toFixed(1)} |`));
const ours = medians[2];
lines.push('', `wechatpay-ts / axios = ${(ours / medians[1]).toFixed(3)}`);
if (list.length > 3) lines.push(`**wechatpay-ts / peer = ${(ours / medians[3]).toFixed(3)}** (target ≤ 1.0)`);
process.stdout.write(`${lines.join('\n')}\n`);
