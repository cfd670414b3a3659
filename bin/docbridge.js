#!/usr/bin/env node
// The `docbridge` executable. Runs the compiled CLI (dist/bin, made by `npm run build` or `npm start`) when it
// is current, else the TypeScript sources through tsx's ESM loader, so a checkout works with no build step
// and an image that ships only dist/ needs no compiler.
import './requireNode.cjs';
import { existsSync } from 'node:fs';

const sources = new URL('./docbridge.ts', import.meta.url);
let entry = new URL('../dist/bin/docbridge.js', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  const { serverIsStale } = await import('../build/serverBuild.ts');
  if (serverIsStale()) entry = sources;
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
