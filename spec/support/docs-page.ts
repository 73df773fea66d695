// Helpers for the specs that prove a documentation page tells the truth: finding its TypeScript
// blocks and sections, type-checking the blocks against lib/ in memory, and running them with
// their imports served by the compiled lib/.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import ts from 'typescript';
import * as wechatpay from '../../lib';
import * as sandboxEntry from '../../lib/sandbox';

/** build/spec/support → the repository root. */
export const ROOT = join(__dirname, '..', '..', '..');

/** A fenced TypeScript block of a page, with its code-group label when it has one. */
export interface Block {
  label?: string;
  code: string;
}

const FENCE = /^```ts(?: \[([^\]\n]+)\])?\n([\s\S]*?)^```$/gm;

/** The first `::: code-group` of a page, its fences included. */
export const CODE_GROUP = /^::: code-group\n([\s\S]*?)^:::$/m;

/** Every fenced TypeScript block of `markdown`, in order. */
export function tsBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(FENCE)].map(([, label, code]) => ({ label, code }));
}

/** The page's section under the `## ` heading that starts with `heading`, the heading line included. */
export function section(markdown: string, heading: string): string {
  const found = markdown.split(/^(?=## )/m).find((part) => part.startsWith(`## ${heading}`));
  assert.ok(found, `the page has a "## ${heading}" section`);
  return found;
}

/** The table row whose first cell is the code span `name`. */
export function row(text: string, name: string): string {
  const found = text.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  assert.ok(found, `a table row for ${name}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Type-checking: one program for every block of a page, with the snippets held in memory and
// 'wechatpay-ts' mapped onto the sources in lib/.

/**
 * How snippets are compiled: CommonJS, or ES modules (which allow top-level `await`), both with
 * no unused names; or as the guides' blocks are, each a Node16 module of its own (an `.mts` file
 * is ESM, top-level `await` included) that may define what a later block uses, with decorators
 * as NestJS apps compile them (the NestJS recipe of callbacks.md).
 */
export type SnippetModules = 'commonjs' | 'esm' | 'guide';

/** The options of each kind of snippet, over {@link compilerOptions}'s shared ones. */
const SNIPPET_OPTIONS: Record<SnippetModules, Record<string, unknown>> = {
  commonjs: { module: 'commonjs', moduleResolution: 'node10', noUnusedLocals: true, noUnusedParameters: true },
  esm: { module: 'es2022', moduleResolution: 'bundler', noUnusedLocals: true, noUnusedParameters: true },
  guide: { module: 'node16', moduleResolution: 'node16', experimentalDecorators: true },
};

function compilerOptions(modules: SnippetModules): ts.CompilerOptions {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    {
      strict: true,
      ...SNIPPET_OPTIONS[modules],
      target: 'es2022',
      lib: ['es2022'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: { 'wechatpay-ts': ['lib/index.ts'], 'wechatpay-ts/sandbox': ['lib/sandbox/index.ts'] },
      noEmit: true,
      skipLibCheck: true,
    },
    ROOT,
  );
  assert.deepEqual(errors, []);
  return options;
}

/** Type-checks in-memory files; answers each file's diagnostics, formatted (empty when clean). */
export function typeCheck(files: ReadonlyMap<string, string>, modules: SnippetModules = 'commonjs'): Map<string, string> {
  const options = compilerOptions(modules);
  const host = ts.createCompilerHost(options, true);
  const fromDisk = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  const read = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = files.get(fileName);
    return text === undefined ? fromDisk(fileName, languageVersion, onError, shouldCreate) : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => files.has(fileName) || exists(fileName);
  host.readFile = (fileName) => files.get(fileName) ?? read(fileName);
  const program = ts.createProgram([...files.keys()], options, host);
  const format: ts.FormatDiagnosticsHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  assert.equal(ts.formatDiagnostics(global, format), '');
  const results = new Map<string, string>();
  for (const fileName of files.keys()) {
    const file = program.getSourceFile(fileName);
    assert.ok(file, `the program holds ${fileName}`);
    results.set(fileName, ts.formatDiagnostics([...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)], format));
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Running: a snippet is transpiled to CommonJS and run with its imports served by the compiled
// lib/, and with a console that records what the snippet reports.

const PAGE_MODULES: Record<string, unknown> = { 'wechatpay-ts': wechatpay, 'wechatpay-ts/sandbox': sandboxEntry };
const nodeRequire = createRequire(__filename);

/**
 * Serves this package's entry points as compiled from lib/, and node's own modules (`node:zlib`, …);
 * with `installed`, the packages installed in the repository too (a guide's `express`).
 */
export function requireForPage(id: string, { installed = false } = {}): unknown {
  if (id.startsWith('node:')) return nodeRequire(id) as unknown;
  if (id in PAGE_MODULES) return PAGE_MODULES[id];
  if (installed) return nodeRequire(id) as unknown;
  throw new Error(`the snippet imports ${id}, which is not a module of this package`);
}

/** Runs a snippet; `scope` names extra variables it sees (console among them). Answers its exports. */
export function execute(source: string, scope: Record<string, unknown>): Record<string, unknown> {
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const run = compileFunction(outputText, ['exports', 'require', ...Object.keys(scope)]) as (...args: unknown[]) => void;
  const exports: Record<string, unknown> = {};
  run(exports, (id: string) => requireForPage(id), ...Object.values(scope));
  return exports;
}

/** One call a snippet made on its console. */
export interface ConsoleCall {
  level: 'log' | 'error';
  args: unknown[];
}

/** A console for a snippet: it records every call, and `first` settles on the first one. */
export function recordingConsole() {
  const calls: ConsoleCall[] = [];
  let settle: (call: ConsoleCall) => void = () => undefined;
  const first = new Promise<ConsoleCall>((resolve) => (settle = resolve));
  const record = (level: ConsoleCall['level']) => (...args: unknown[]) => {
    const call = { level, args };
    calls.push(call);
    settle(call);
  };
  return { console: { log: record('log'), error: record('error') }, calls, first };
}

/**
 * The snippet as it would run against the sandbox. The argument of `new Wechatpay(…)` becomes the
 * `sandboxOptions` variable, and the string value of each property named in `values` becomes the
 * value given (the sandbox answers a repeated order or contract code with its first answer, or
 * refuses it). The constructor and each property must appear exactly once.
 */
export function againstSandbox(source: string, values: Readonly<Record<string, string>>): string {
  const file = ts.createSourceFile('snippet.ts', source, ts.ScriptTarget.ES2022, true);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Wechatpay' && node.arguments?.length === 1) {
      edits.push({ start: node.arguments[0].getStart(file), end: node.arguments[0].end, text: 'sandboxOptions' });
    } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && Object.hasOwn(values, node.name.text) && ts.isStringLiteral(node.initializer)) {
      edits.push({ start: node.initializer.getStart(file), end: node.initializer.end, text: JSON.stringify(values[node.name.text]) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  const expected = [...Object.values(values).map((value) => JSON.stringify(value)), 'sandboxOptions'].sort();
  assert.deepEqual(edits.map(({ text }) => text).sort(), expected, `one new Wechatpay({…}) and one each of ${Object.keys(values).join(', ')}`);
  return edits
    .sort((a, b) => b.start - a.start)
    .reduce((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), source);
}
