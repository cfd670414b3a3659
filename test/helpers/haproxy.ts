import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const shippedConfig = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url));

/** A running HAProxy (Debian's) before some server processes. */
export interface Haproxy {
  port: number;
  url: string;
  wsUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The shipped deploy/haproxy.cfg (the one compose.yaml mounts) with its bind address moved to loopback and
 * its server lines replaced by `backends` (ports on 127.0.0.1), so tests and the bench run the balancing,
 * health checks and WebSocket timeouts users get.
 */
export function haproxyConfig(port: number, backends: readonly number[]): string {
  const lines = readFileSync(shippedConfig, 'utf8').split('\n');
  const bind = lines.findIndex((line) => /^\s*bind\s/.test(line));
  if (bind === -1 || !lines.some((line) => /^\s*server\s/.test(line))) {
    throw new Error('deploy/haproxy.cfg has no bind line or no server line');
  }
  lines[bind] = `  bind 127.0.0.1:${port}`;
  const kept = lines.filter((line) => !/^\s*server\s/.test(line));
  return [
    ...kept,
    ...backends.map((backend, i) => `  server docbridge-${i + 1} 127.0.0.1:${backend}`),
    '',
  ].join('\n');
}

/** Starts `haproxy` in the foreground with `haproxyConfig` and resolves once it accepts connections. */
export async function startHaproxy(backends: readonly number[]): Promise<Haproxy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'docbridge-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, backends));
  const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not answer on ${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port that was free a moment ago on loopback (HAProxy cannot report an ephemeral port back). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}
