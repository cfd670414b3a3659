import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startGoogleEmulator } from './server.ts';

/** `npm run emulator:google -- --port N [--notify-batch-ms MS]`: the emulator as its own process. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'notify-batch-ms': { type: 'string', default: '180000' },
    'webhook-ca': { type: 'string' },
  },
});
const emulator = await startGoogleEmulator({
  port: Number(values.port),
  host: values.host,
  notifyBatchMs: Number(values['notify-batch-ms']),
  webhookCa: values['webhook-ca'] ? readFileSync(values['webhook-ca'], 'utf8') : undefined,
});
process.stdout.write(
  `${JSON.stringify({ event: 'listening', url: emulator.url, tokenUrl: emulator.tokenUrl })}\n`,
);
const stop = () => emulator.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
