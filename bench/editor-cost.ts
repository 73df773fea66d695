// What the catalogue types cost a consumer in the editor: the language service tsserver runs
// (`ts.createLanguageService` over the files on disk), on the 50-endpoint consumer of the built package and
// on a file making the same 50 requests with axios alone. Per project: the load (from creating the
// service to the consumer's semantic diagnostics, as when the file is opened), the first quickinfo
// on the verb of the 25th call once the program is built, and the quickinfo after it on the verbs
// of the next 20 calls. Every figure of every sample comes from a fresh child process, so no cache
// carries over, and the two projects take turns. Prints the medians as a Markdown table, each ratio
// the median of the rounds' own ratios (see pairedRatio), with one quickinfo of the package's
// consumer to show that its verb knows the endpoint's options type.
// `BENCH_EDITOR_SAMPLES` sets how many samples (5 by default): the figures vary with the machine's load.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import { REPOSITORY } from '../tools/generate/main';
import { CONSUMER_FLAGS, axiosConsumer, endpoints, wechatpayConsumer, writeProject, type Consumer, type Library } from './consumer-project';
import { median, quantile } from './median';
import { positiveInteger } from './settings';

const WORK = join(REPOSITORY, 'build', 'editor-cost');
const SAMPLES = positiveInteger('BENCH_EDITOR_SAMPLES', 5);
/** The call whose verb gets the first quickinfo, counted from 0: the 25th. */
const COLD_CALL = 24;
/** How many calls after it get a quickinfo each, in the same service. */
const WARM_CALLS = 20;

/** What a child process measures, in which consumer.ts, at which verb offsets (cold one, then warm ones). */
type Task = { kind: 'load'; file: string } | { kind: 'quickinfo'; file: string; cold: number; warm: number[] };

/** A project load: its milliseconds, and the consumer's semantic errors. */
interface LoadSample {
  milliseconds: number;
  errors: string[];
}

/** The first quickinfo's milliseconds, the median of the ones after it, and what the first one displays. */
interface QuickinfoSample {
  cold: number;
  warm: number;
  display: string;
}

/** A language service over `file` and what it imports, read from disk, with the consumer's compiler options. */
function languageService(file: string): ts.LanguageService {
  const { options, errors } = ts.parseCommandLine(CONSUMER_FLAGS);
  if (errors.length > 0) throw new Error(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = ts.sys.readFile(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => dirname(file),
    getDefaultLibFileName: (settings) => ts.getDefaultLibFilePath(settings),
    fileExists: (path) => ts.sys.fileExists(path),
    readFile: (path) => ts.sys.readFile(path),
    readDirectory: (path, extensions, exclude, include, depth) => ts.sys.readDirectory(path, extensions, exclude, include, depth),
    directoryExists: (path) => ts.sys.directoryExists(path),
    getDirectories: (path) => ts.sys.getDirectories(path),
    realpath: (path) => ts.sys.realpath?.(path) ?? path,
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

/** The project load: a new language service up to the end of the consumer's first semantic check. */
function load(file: string): LoadSample {
  const start = performance.now();
  const diagnostics = languageService(file).getSemanticDiagnostics(file);
  const milliseconds = performance.now() - start;
  return { milliseconds, errors: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')) };
}

/** Milliseconds `run` takes, and what it returns. */
function timed<T>(run: () => T): [number, T] {
  const start = performance.now();
  const result = run();
  return [performance.now() - start, result];
}

/** Quickinfo in a new language service whose program is built: the first one at `cold`, then the median of one at each of `warm`. */
function quickinfo(file: string, cold: number, warm: number[]): QuickinfoSample {
  const service = languageService(file);
  service.getProgram();
  const [first, info] = timed(() => service.getQuickInfoAtPosition(file, cold));
  const after = warm.map((position) => timed(() => service.getQuickInfoAtPosition(file, position))[0]);
  return { cold: first, warm: median(after), display: ts.displayPartsToString(info?.displayParts) };
}

/** Runs `task` in a fresh node process (this file, given the task) and returns what it printed, parsed. */
function inChild(task: Task): unknown {
  const { status, stdout, stderr } = spawnSync(process.execPath, [__filename, JSON.stringify(task)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (status !== 0) throw new Error(`the ${task.kind} sample of ${task.file} failed (exit ${status}):\n${stderr}`);
  return JSON.parse(stdout);
}

/** A consumer written to disk: its name, and the two tasks a sample of it runs. */
interface Project {
  name: string;
  load: Task;
  quickinfo: Task;
}

/** One sample of a project: each of its figures from a fresh child process. */
interface Sample {
  load: LoadSample;
  quickinfo: QuickinfoSample;
}

/** Medians over the samples of one project, and one quickinfo display string of its cold call. */
interface Figures {
  load: number;
  cold: number;
  warm: number;
  display: string;
}

/** Writes `consumer` as a project under `name`: the load task, and the quickinfo task on the 25th verb then the next 20. */
function project(name: string, consumer: Consumer, library: Library): Project {
  const file = writeProject(join(WORK, name), consumer.source, library);
  const verbs = consumer.calls.map((call) => call.verb);
  return { name, load: { kind: 'load', file }, quickinfo: { kind: 'quickinfo', file, cold: verbs[COLD_CALL], warm: verbs.slice(COLD_CALL + 1, COLD_CALL + 1 + WARM_CALLS) } };
}

/**
 * `1.28× (1.22–1.35)`: the median of the rounds' ratios, and their quartiles; each ratio is
 * taken between the two samples of one round, measured one after the other. The machine's
 * speed drifts between rounds (other work on a shared machine): a ratio within a round meets
 * that drift on both sides, where a ratio of two medians need not.
 */
function pairedRatio(ours: readonly number[], theirs: readonly number[]): string {
  const ratios = ours.map((value, round) => value / theirs[round]);
  return `${median(ratios).toFixed(2)}× (${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)})`;
}

/** The medians of `samples` of `project`; fails if its consumer has a semantic error. */
function figures({ name }: Project, samples: Sample[]): Figures {
  const errors = samples.flatMap((sample) => sample.load.errors);
  if (errors.length > 0) throw new Error(`the ${name} consumer has semantic errors:\n${errors.join('\n')}`);
  return {
    load: median(samples.map((sample) => sample.load.milliseconds)),
    cold: median(samples.map((sample) => sample.quickinfo.cold)),
    warm: median(samples.map((sample) => sample.quickinfo.warm)),
    display: samples[0].quickinfo.display,
  };
}

/** `SAMPLES` samples of each project, the projects taking turns so that a change in the machine's load weighs on both alike. */
function sampleInTurns(projects: Project[]): Sample[][] {
  const samples = projects.map((): Sample[] => []);
  for (let round = 0; round < SAMPLES; round++) {
    projects.forEach((p, i) => samples[i].push({ load: inChild(p.load) as LoadSample, quickinfo: inChild(p.quickinfo) as QuickinfoSample }));
  }
  return samples;
}

/** Writes both projects, samples them, checks the package's consumer and prints the table. */
function main(): void {
  rmSync(WORK, { recursive: true, force: true });
  const chosen = endpoints();
  const projects = [project('wechatpay', wechatpayConsumer(chosen), 'catalogue'), project('axios', axiosConsumer(chosen), 'none')];
  const sampled = sampleInTurns(projects);
  const [wechatpay, axios] = sampled.map((samples, i) => figures(projects[i], samples));
  const endpoint = chosen[COLD_CALL];
  if (!wechatpay.display.includes(endpoint.options)) throw new Error(`the quickinfo of ${endpoint.op.method} on ${endpoint.op.path} does not name ${endpoint.options}:\n${wechatpay.display}`);
  const [ours, theirs] = sampled;
  const row = (label: string, a: number, b: number, figure: (sample: Sample) => number) =>
    `| ${label} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${pairedRatio(ours.map(figure), theirs.map(figure))} |`;
  const lines = [
    `Consumer: 50 endpoints, the three path styles in turn, against the same 50 requests with axios alone; TypeScript ${ts.version} language service, median of ${SAMPLES} samples (the two projects in turn), each figure in a fresh process, node ${process.version}.`,
    '',
    '| | wechatpay (median) | axios (median) | ratio: median of the rounds\' ratios (quartiles) |',
    '| --- | ---: | ---: | ---: |',
    row('project load (ms)', wechatpay.load, axios.load, (sample) => sample.load.milliseconds),
    row(`quickinfo cold, call ${COLD_CALL + 1} (ms)`, wechatpay.cold, axios.cold, (sample) => sample.quickinfo.cold),
    row(`quickinfo warm, median of ${WARM_CALLS} (ms)`, wechatpay.warm, axios.warm, (sample) => sample.quickinfo.warm),
    '',
    `Quickinfo on \`${endpoint.op.method}\` of call ${COLD_CALL + 1} (\`${endpoint.op.path}\`):`,
    '',
    '```ts',
    wechatpay.display,
    '```',
  ];
  console.log(lines.join('\n'));
}

const [task] = process.argv.slice(2);
if (task === undefined) {
  main();
} else {
  const parsed = JSON.parse(task) as Task;
  console.log(JSON.stringify(parsed.kind === 'load' ? load(parsed.file) : quickinfo(parsed.file, parsed.cold, parsed.warm)));
}
