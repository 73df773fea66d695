// The product areas of the reference for docs/reference.md (a VitePress data loader, run at build time).
import { referenceAreas, type ReferenceArea } from './reference.mts';

export type { ReferenceArea };
export declare const data: ReferenceArea[];

export default {
  watch: ['../openapi/**/*.md', '../openapi/areas.json'],
  load: (): ReferenceArea[] => referenceAreas(),
};
