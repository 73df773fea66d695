// What the catalogue types cost a consumer: writes a file that calls 50 different endpoints (the
// three path styles in turn) and type-checks it with `tsc --extendedDiagnostics`, once against
// the built package with its catalogue and once with an empty catalogue. Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY } from '../tools/generate/main';
import { CONSUMER_FLAGS, endpoints, ratio, wechatpayConsumer, writeProject } from './consumer-project';

const WORK = join(REPOSITORY, 'build', 'typecheck-cost');
const TSC = join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc');

interface Measure {
  check: number;
  total: number;
  memory: number;
  instantiations: number;
  types: number;
  errors: number;
}

function measure(dir: string): Measure {
  const args = [TSC, '--extendedDiagnostics', '--noEmit', ...CONSUMER_FLAGS, join(dir, 'consumer.ts')];
  const { stdout } = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  const value = (label: string) => Number(/^LABEL:\s+([\d.]+)/m.exec(stdout.replace(/^([A-Za-z ]+):/gm, (_, l: string) => `${l === label ? 'LABEL' : l}:`))?.[1] ?? NaN);
  return {
    check: value('Check time'),
    total: value('Total time'),
    memory: value('Memory used') / 1024,
    instantiations: value('Instantiations'),
    types: value('Types'),
    errors: (stdout.match(/error TS/g) ?? []).length,
  };
}

function main(): void {
  rmSync(WORK, { recursive: true, force: true });
  const { source } = wechatpayConsumer(endpoints());
  const withDir = join(WORK, 'with-catalogue');
  const withoutDir = join(WORK, 'without-catalogue');
  writeProject(withDir, source, 'catalogue');
  writeProject(withoutDir, source, 'empty catalogue');
  const runs = 3;
  const best = (dir: string) => Array.from({ length: runs }, () => measure(dir)).reduce((a, b) => (b.check < a.check ? b : a));
  const withCatalogue = best(withDir);
  const without = best(withoutDir);
  const lines = [
    `Consumer: 50 endpoints, the three path styles in turn; best of ${runs} runs of \`tsc --extendedDiagnostics --noEmit --skipLibCheck\`, node ${process.version}.`,
    '',
    '| | with the catalogue | catalogue empty | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| check time (s) | ${withCatalogue.check.toFixed(2)} | ${without.check.toFixed(2)} | ${ratio(withCatalogue.check, without.check)} |`,
    `| total time (s) | ${withCatalogue.total.toFixed(2)} | ${without.total.toFixed(2)} | ${ratio(withCatalogue.total, without.total)} |`,
    `| memory (MB) | ${withCatalogue.memory.toFixed(0)} | ${without.memory.toFixed(0)} | ${ratio(withCatalogue.memory, without.memory)} |`,
    `| instantiations | ${withCatalogue.instantiations} | ${without.instantiations} | ${ratio(withCatalogue.instantiations, without.instantiations)} |`,
    `| types | ${withCatalogue.types} | ${without.types} | ${ratio(withCatalogue.types, without.types)} |`,
    `| type errors in the consumer | ${withCatalogue.errors} | ${without.errors} | |`,
  ];
  console.log(lines.join('\n'));
}

main();
