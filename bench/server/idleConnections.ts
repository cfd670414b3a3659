import { execSync } from 'node:child_process';
import { writeAuthentication } from '@hocuspocus/common';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { cpuMs, rssKiB } from './processTree.ts';
import type { BenchServer } from './servers.ts';
import { round, sleep, withTimeout } from './stats.ts';

/** What holding many idle, synced connections costs one server. */
export interface IdleFigures {
  kind: BenchServer['kind'];
  connections: number;
  documents: number;
  baselineMiB: number;
  loadedMiB: number;
  perConnectionKiB: number;
  /** Server CPU while every connection sits idle (ms of CPU per second of wall time: 1000 = one core). */
  idleCpuMsPerSecond: number;
}

const SYNC = 0;
const AUTH = 2;
const IDLE_SAMPLE_MS = 10_000;
const BATCH = 250;

/**
 * The largest idle-connection count this machine allows: the bench process and the server each hold one
 * descriptor per connection, within the soft limit of open files (ulimit -n) they inherit.
 */
export function idleConnectionTarget(wanted: number): number {
  const limit = Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim());
  return Number.isFinite(limit) ? Math.min(wanted, limit - 1_000) : wanted;
}

/**
 * Opens `connections` WebSockets spread over `documents` documents, each authenticated and synced with the
 * Hocuspocus protocol (raw frames from lib0/y-protocols: a provider per socket would measure the bench,
 * not the server), then samples the server's RSS and its CPU over ten idle seconds.
 */
export async function measureIdleConnections(
  server: BenchServer,
  connections: number,
  documents: number,
): Promise<IdleFigures> {
  const sockets: WebSocket[] = [];
  try {
    await sleep(1_500);
    const baselineKiB = rssKiB(server.pid);
    for (let opened = 0; opened < connections; opened += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, connections - opened) }, (_, i) =>
        openSynced(server, `dept-a/idle-${(opened + i) % documents}`),
      );
      sockets.push(...(await withTimeout(Promise.all(batch), 120_000, `${BATCH} idle sockets to sync`)));
    }
    await sleep(3_000);
    const loadedKiB = rssKiB(server.pid);
    const cpuBefore = cpuMs(server.pid);
    const started = performance.now();
    await sleep(IDLE_SAMPLE_MS);
    const idleCpuMsPerSecond = ((cpuMs(server.pid) - cpuBefore) * 1000) / (performance.now() - started);
    return {
      kind: server.kind,
      connections,
      documents,
      baselineMiB: round(baselineKiB / 1024),
      loadedMiB: round(loadedKiB / 1024),
      perConnectionKiB: round((loadedKiB - baselineKiB) / connections),
      idleCpuMsPerSecond: round(idleCpuMsPerSecond),
    };
  } finally {
    for (const socket of sockets) socket.terminate();
  }
}

/** One socket: authenticate for `document`, send sync step 1, resolve once the server's sync arrives. */
function openSynced(server: BenchServer, document: string): Promise<WebSocket> {
  const path = server.kind === 'ours' ? '/collab' : '/';
  const socket = new WebSocket(`${server.wsUrl}${path}`);
  return new Promise<WebSocket>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      const auth = encoding.createEncoder();
      encoding.writeVarString(auth, document);
      encoding.writeVarUint(auth, AUTH);
      writeAuthentication(auth, server.token);
      socket.send(encoding.toUint8Array(auth));
      const sync = encoding.createEncoder();
      encoding.writeVarString(sync, document);
      encoding.writeVarUint(sync, SYNC);
      encoding.writeVarUint(sync, 0); // sync step 1: our (empty) state vector
      encoding.writeVarUint8Array(sync, Y.encodeStateVector(new Y.Doc()));
      socket.send(encoding.toUint8Array(sync));
    });
    socket.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      decoding.readVarString(decoder);
      if (decoding.readVarUint(decoder) === SYNC) {
        socket.removeAllListeners('message');
        resolve(socket);
      }
    });
    socket.once('close', (code) => reject(new Error(`idle socket closed with ${code} before syncing`)));
  });
}
