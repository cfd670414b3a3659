#!/usr/bin/env node
// The `docbridge` executable: runs bin/docbridge.ts through tsx's ESM loader, so there is no build step.
import './requireNode.cjs';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./docbridge.ts');
process.exitCode = await main(process.argv.slice(2));
