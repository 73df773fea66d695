// Copies what is generated for this package (openapi/: the chain's tree, `.d.ts` only, and the
// sandbox's catalogue, openapi/sandbox-catalogue.json.br, read at run time) beside the build:
// dist/ mirrors the repository (dist/lib/ from lib/, dist/openapi/ from openapi/), so the relative
// imports between lib/ and openapi/ resolve the same in the repository and in the installed
// package, and the sandbox finds its catalogue beside dist/lib/.
import { cpSync } from 'node:fs';

cpSync('openapi', 'dist/openapi', { recursive: true, filter: (source) => !/\.[cm]?[jt]s$/.test(source) || source.endsWith('.d.ts') });
