// Runs a task guide the way its reader does: its TypeScript blocks one after another, in one
// process, each seeing what the blocks before it defined. A block's declare comment names what
// it takes from outside; each such name must come from an earlier block or from what the spec
// gives the guide (the notification URL, the merchant's own functions), so a guide that uses a
// variable it never introduced fails here, not in a reader's hands.
import { compileFunction } from 'node:vm';
import ts from 'typescript';
import { recordingConsole, requireForPage } from './docs-page';
import type { GuideBlock } from './guide-blocks';

/**
 * The names of the values `source` declares at its top level: its variables (destructured ones
 * included), functions and classes, `declare`d or not; not its imports or types. Of a declare
 * comment, what the block takes; of a block, what it leaves to the blocks after it.
 */
export function topLevelNames(source: string): string[] {
  const file = ts.createSourceFile('block.ts', source, ts.ScriptTarget.ES2022, true);
  return file.statements.flatMap((statement) => {
    if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name));
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [statement.name.text];
    return [];
  });
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/**
 * Runs `blocks` in order. `scope` holds what the spec gives the guide, and receives every name each
 * block declares at its top level as the block ends (a later block's `data` replaces an earlier
 * one's, as in a reader's REPL). Imports are served by the compiled lib/ (`wechatpay-ts`,
 * `wechatpay-ts/sandbox`) and the installed packages. Answers what the blocks printed; a block that
 * throws rejects with its page and line.
 */
export async function runGuide(blocks: readonly GuideBlock[], scope: Record<string, unknown>): Promise<unknown[][]> {
  // What the guide prints is recorded, not printed among the test results.
  const { console, calls } = recordingConsole();
  for (const block of blocks) {
    const where = `${block.page}:${block.line}`;
    const taken = topLevelNames(block.preamble);
    const missing = taken.filter((name) => !(name in scope));
    if (missing.length > 0) throw new Error(`${where} uses ${missing.join(', ')}, which no earlier block defines and the spec does not give`);
    const { outputText } = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    const body = `return (async () => {\n${outputText}\nreturn { ${topLevelNames(block.code).join(', ')} };\n})();`;
    const run = compileFunction(body, ['exports', 'require', 'console', ...taken], { filename: where }) as (...args: unknown[]) => Promise<Record<string, unknown>>;
    try {
      Object.assign(scope, await run({}, (id: string) => requireForPage(id, { installed: true }), console, ...taken.map((name) => scope[name])));
    } catch (error) {
      throw new Error(`${where} threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  return calls.map(({ args }) => args);
}
