// The areas of the reference for docs/reference.md (a VitePress data loader, run at build time).
import { areas, type Area } from './reference.mts';

export type { Area };
export declare const data: Area[];

export default {
  watch: ['../openapi/**/*.md'],
  load: (): Area[] => areas(),
};
