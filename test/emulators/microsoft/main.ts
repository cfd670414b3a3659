import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startGraphEmulator } from './server.ts';

/**
 * `npm run emulator:microsoft -- --port N [--notification-lag-ms MS] [--webhook-ca FILE]`: the Graph
 * emulator as its own process. Prints one JSON line with its addresses and the CA file to trust.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'notification-lag-ms': { type: 'string', default: '60000' },
    'webhook-ca': { type: 'string' },
  },
});
const emulator = await startGraphEmulator({
  port: Number(values.port),
  notificationLagMs: Number(values['notification-lag-ms']),
  webhookCa: values['webhook-ca'] ? readFileSync(values['webhook-ca'], 'utf8') : undefined,
});
process.stdout.write(
  `${JSON.stringify({
    event: 'listening',
    graphUrl: emulator.graphUrl,
    loginUrl: emulator.loginUrl,
    storageUrl: emulator.storageUrl,
    caPath: emulator.caPath,
  })}\n`,
);
const stop = () => emulator.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
