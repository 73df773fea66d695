// What the catalogue types cost a consumer: writes a file that calls 50 different endpoints (the
// three path styles in turn) and type-checks it with `tsc --extendedDiagnostics`, once against
// lib/ with openapi/ and once against lib/ with an empty catalogue. Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, loadCatalogue } from '../tools/generate/catalogue';
import { declarations } from '../tools/generate/declarations';
import { callOptions, chained } from '../tools/generate/pages';
import { REPOSITORY } from '../tools/generate/main';

const WORK = join(REPOSITORY, 'build', 'typecheck-cost');
const TSC = join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc');

function consumer(): string {
  const { named } = declarations(loadCatalogue(CATALOGUE));
  const usable = named.filter((n) => chained(n.op.path) && !callOptions(n)?.includes('MediaUpload'));
  const step = Math.floor(usable.length / 50);
  const calls = usable.filter((_, i) => i % step === 0).slice(0, 50).map((n, i) => {
    const node = [chained(n.op.path), `wxpay.chain('${n.op.path}')`, `wxpay['${n.op.path}']`][i % 3];
    return `  results.push((await ${node}.${n.op.method}(${callOptions(n) ?? ''})).data);`;
  });
  return `import type { Wechatpay } from './lib';\n\nexport async function run(wxpay: Wechatpay): Promise<unknown[]> {\n  const results: unknown[] = [];\n${calls.join('\n')}\n  return results;\n}\n`;
}

interface Measure {
  check: number;
  total: number;
  memory: number;
  instantiations: number;
  types: number;
  errors: number;
}

function measure(dir: string): Measure {
  const args = [TSC, '--extendedDiagnostics', '--noEmit', '--strict', '--target', 'es2022', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node', '--skipLibCheck', join(dir, 'consumer.ts')];
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
  const source = consumer();
  const withDir = join(WORK, 'with-catalogue');
  const withoutDir = join(WORK, 'without-catalogue');
  for (const dir of [withDir, withoutDir]) {
    mkdirSync(dir, { recursive: true });
    cpSync(join(REPOSITORY, 'lib'), join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'consumer.ts'), source);
  }
  cpSync(join(REPOSITORY, 'openapi'), join(withDir, 'openapi'), { recursive: true });
  // The catalogue left out, for comparison: the declarations lib/ imports, empty.
  mkdirSync(join(withoutDir, 'openapi'));
  writeFileSync(join(withoutDir, 'openapi', 'tree.d.ts'), 'export interface Tree {}\nexport interface Paths {}\n');
  writeFileSync(join(withoutDir, 'openapi', 'endpoints.d.ts'), 'export interface Endpoints {}\n');
  const runs = 3;
  const best = (dir: string) => Array.from({ length: runs }, () => measure(dir)).reduce((a, b) => (b.check < a.check ? b : a));
  const withCatalogue = best(withDir);
  const without = best(withoutDir);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
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
