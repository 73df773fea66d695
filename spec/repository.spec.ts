// The repository stands on its own: a user's clone has no folder beside it, so no file of the
// project may point outside it, and the catalogue the generator reads is the vendored copy.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { CATALOGUE } from '../tools/generate/catalogue';
import { REPOSITORY } from '../tools/generate/main';

/** Folders that are installed, built or written by tools, not part of the project's own files. */
const NOT_OURS = new Set(['.git', 'node_modules', 'build', 'dist', 'cache', '.temp', '.generated-snippets', '.page-snippets']);

function files(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return NOT_OURS.has(entry.name) ? [] : files(path);
    return entry.isFile() ? [path] : [];
  });
}

/** A file's text, or '' for one a running tool removed since the walk saw it (the docs build's temporary files). */
function contentOf(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

describe('the repository', () => {
  it('names no folder outside itself: no file mentions the steering folder beside the clone', () => {
    // Built from parts, so this spec does not name it either.
    const sibling = new RegExp(['\\.\\.', '[\\\\/]', 'shared', '\\b'].join(''));
    const offenders = files(REPOSITORY)
      .filter((path) => sibling.test(contentOf(path)))
      .map((path) => relative(REPOSITORY, path));
    assert.deepEqual(offenders, []);
  });

  it('vendors the catalogue with its licence and a README naming its source and snapshot', () => {
    assert.equal(relative(REPOSITORY, CATALOGUE), 'catalogue');
    assert.ok(existsSync(join(CATALOGUE, 'swagger.yaml')));
    assert.match(readFileSync(join(CATALOGUE, 'LICENSE'), 'utf8'), /MIT License|Permission is hereby granted/);
    const readme = readFileSync(join(CATALOGUE, 'README.md'), 'utf8');
    assert.match(readme, /TheNorthMemory\/wechatpay-openapi/);
    assert.match(readme, /2026-08-21/);
  });

  it('declares runtime dependencies as ranges, so an application shares one axios with us; its own types package at the version released with it', () => {
    const { dependencies, workspaces } = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; workspaces: string[] };
    const own = new Map(workspaces.map((dir) => JSON.parse(readFileSync(join(REPOSITORY, dir, 'package.json'), 'utf8')) as { name: string; version: string }).map(({ name, version }) => [name, version]));
    const pinned = Object.entries(dependencies).filter(([name, version]) => !own.has(name) && !/^[\^~]\d/.test(version));
    assert.deepEqual(pinned, [], 'write ^x.y.z; package-lock.json keeps this repository reproducible');
    assert.deepEqual([...own].map(([name]) => [name, dependencies[name]]), [...own], 'each package of this repository is a dependency at its exact version');
  });
});
