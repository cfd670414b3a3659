import { join } from 'node:path';
import { PostgresStorage } from '../../server/storage/postgres.ts';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { createTempDatabase } from '../../test/helpers/postgres.ts';
import { withServer } from './lifecycle.ts';
import {
  keystrokeAckLatency,
  postgresRawInsertLatency,
  type SeriesBudget,
  sqliteRawInsertLatency,
  storageAppendLatency,
  typedUpdates,
} from './persistLatency.ts';
import { onAbort, releaseScratchDir, scratchDir } from './scratch.ts';
import { startOurServer, startPlainServer } from './servers.ts';
import { type LatencySummary, summarize } from './stats.ts';

/** One persist-latency series: what was timed, on which back end, and its distribution. */
export interface PersistSeries {
  level: 'storage' | 'end-to-end';
  what: string;
  backend: 'sqlite' | 'postgres' | 'memory';
  /** True for the same-run baselines our figures are read against. */
  baseline: boolean;
  latency: LatencySummary;
}

const storageBudget: SeriesBudget = { maxCount: 2000, maxMs: 6_000, warmup: 50 };
const keystrokeBudget: SeriesBudget = { maxCount: 300, maxMs: 8_000, warmup: 20 };

/**
 * Figure 1: persist latency per update on SQLite and PostgreSQL, at the storage level (`appendUpdates` of one
 * real Yjs update, against a bare INSERT with the same durability settings) and end to end (a keystroke to
 * the durable acknowledgement through a real server process, against plain Hocuspocus, which acknowledges
 * from memory).
 */
export async function runPersistBench(): Promise<PersistSeries[]> {
  const updates = typedUpdates(storageBudget.maxCount + storageBudget.warmup);
  const dir = scratchDir();
  const database = await createTempDatabase();
  const forget = onAbort(() => database.drop());
  const series: PersistSeries[] = [];
  const add = (
    level: PersistSeries['level'],
    what: string,
    backend: PersistSeries['backend'],
    samples: number[],
  ) =>
    series.push({ level, what, backend, baseline: what.startsWith('baseline'), latency: summarize(samples) });
  try {
    const sqlite = new SqliteStorage(join(dir, 'storage.db'));
    add('storage', 'Storage.appendUpdates', 'sqlite', await timedOn(sqlite, updates));
    add(
      'storage',
      'baseline: bare INSERT',
      'sqlite',
      await sqliteRawInsertLatency(join(dir, 'raw.db'), updates, storageBudget),
    );
    const postgres = new PostgresStorage(database.url);
    add('storage', 'Storage.appendUpdates', 'postgres', await timedOn(postgres, updates));
    add(
      'storage',
      'baseline: bare INSERT',
      'postgres',
      await postgresRawInsertLatency(database.url, updates, storageBudget),
    );

    const keystrokes = (start: Parameters<typeof withServer>[0], pauseMs = 0) =>
      withServer(start, (server) => keystrokeAckLatency(server, keystrokeBudget, pauseMs));
    add(
      'end-to-end',
      'keystroke to durable ack',
      'sqlite',
      await keystrokes(() => startOurServer({ storage: 'sqlite' })),
    );
    add(
      'end-to-end',
      'keystroke to durable ack, 10 keys/s',
      'sqlite',
      await keystrokes(() => startOurServer({ storage: 'sqlite' }), 100),
    );
    add(
      'end-to-end',
      'keystroke to durable ack',
      'postgres',
      await keystrokes(() => startOurServer({ storage: 'postgres', databaseUrl: database.url })),
    );
    add('end-to-end', 'baseline: plain hocuspocus ack', 'memory', await keystrokes(startPlainServer));
    return series;
  } finally {
    releaseScratchDir(dir);
    await database.drop();
    forget();
  }
}

async function timedOn(storage: Storage, updates: Uint8Array[]): Promise<number[]> {
  try {
    await storage.migrate();
    return await storageAppendLatency(storage, updates, storageBudget);
  } finally {
    await storage.close();
  }
}
