import { Server } from '@hocuspocus/server';

/**
 * The baseline of the fan-out and memory figures: `@hocuspocus/server` as its README starts it, with no
 * extension (no authentication, no storage, no metrics), on loopback and a free port. Run as its own
 * process by the bench; it prints one JSON line `{"listening":<port>}` on stdout once it accepts
 * connections, and stops on SIGTERM (Hocuspocus' own signal handling).
 */
const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, name: 'plain-hocuspocus' });

await server.listen();
process.stdout.write(`${JSON.stringify({ listening: server.address.port })}\n`);
