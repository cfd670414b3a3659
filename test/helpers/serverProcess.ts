import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A real server process (`server/main.ts`, or its compiled form as `npm start` runs it). */
export interface ServerProcess {
  port: number;
  url: string;
  wsUrl: string;
  child: ChildProcess;
  /** Everything the process wrote, for assertions about logs. */
  output(): string;
  /** SIGKILL: no shutdown hooks, no flush. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** The master key test servers get unless `env` says otherwise (32 bytes, base64). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 11).toString('base64');

/** A fresh data directory for one test. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'docbridge-test-'));
}

/** How to run the server: from its sources (node with tsx as a loader), or compiled (`npm start`'s way). */
export interface ServerCommand {
  /** Run dist/server/main.js with plain node (the caller builds it first, e.g. `ensureServerBuilt()`). */
  compiled?: boolean;
  /** Any other launcher (e.g. `chroot ROOTFS node /app/dist/server/main.js`): program and arguments. */
  argv?: [string, ...string[]];
  /**
   * Start the launcher in a process group of its own and signal the whole group, for launchers that run the
   * server as a grandchild and do not pass signals on (buildah run).
   */
  processGroup?: boolean;
}

/**
 * Starts the server on a free port with `env` on top of a clean environment and resolves once it logs that
 * it listens (the port is read from that log line).
 */
export async function startServerProcess(
  env: Record<string, string>,
  command: ServerCommand = {},
): Promise<ServerProcess> {
  // One process: node with tsx as a loader. (The tsx CLI would run the server in a child process of its
  // own, which SIGKILL of the CLI leaves running.)
  const [program, ...args] = command.argv ?? [
    process.execPath,
    ...(command.compiled
      ? [join(root, 'dist/server/main.js')]
      : ['--import', 'tsx', join(root, 'server/main.ts')]),
  ];
  const child = spawn(program, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      LOG_LEVEL: 'info',
      // Test emulators listen on loopback ports: credentials may point there (any port).
      DOCBRIDGE_EXTRA_ENDPOINT_HOSTS: '127.0.0.1',
      // Outside local mode the server refuses to start without a master key; tests pass '' to drop it.
      DOCBRIDGE_MASTER_KEY: TEST_MASTER_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: command.processGroup ?? false,
  });
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (command.processGroup) process.kill(-child.pid!, name);
    else child.kill(name);
  };
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output += `${line}\n`;
      if (line.includes('"docbridge listening"')) resolve(JSON.parse(line).port as number);
    });
    child.once('exit', (code) =>
      reject(new Error(`server exited with ${code} before listening:\n${output}`)),
    );
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    child,
    output: () => output,
    async kill9() {
      signal('SIGKILL');
      await exited;
    },
    async stop() {
      signal('SIGTERM');
      await exited;
    },
  };
}

/** Open document connections of one server, from its own /metrics (`docbridge_connections`). */
export async function openConnections(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = /^docbridge_connections (\d+)/m.exec(text);
  if (!match) throw new Error(`no docbridge_connections on port ${server.port}`);
  return Number(match[1]);
}
