/**
 * The .docx converter: `readDocx` (package -> schema JSON + warnings + the DocxSource a patch needs) and
 * `writeDocx` (schema JSON -> package, patching the original when given one). See docs/fidelity.md.
 */
export { type ReadDocxResult, readDocx } from './readDocx.ts';
export type { DocxSource, SourceBlock } from './types.ts';
export { type WriteDocxOptions, type WriteDocxResult, writeDocx } from './writeDocx.ts';
export { writeDocxOver } from './writeOver.ts';
