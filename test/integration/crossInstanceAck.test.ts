import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Randomized kill rounds; more with DOCBRIDGE_TEST_KILL_ROUNDS (e.g. 50 for a soak run). */
const ROUNDS = Number(process.env.DOCBRIDGE_TEST_KILL_ROUNDS ?? 6);
/** Generous: an instance lapses after 2 s of silence; the bound only has to hold on a loaded machine. */
const CATCH_UP_MS = 30_000;

/**
 * Types markers one at a time, each only once the previous one was acknowledged (the provider's count of
 * unacknowledged updates back to zero), and records which were acknowledged.
 */
function ackedTypist(client: TestClient, name: string) {
  const acknowledged: string[] = [];
  let running = true;
  const done = (async () => {
    for (let n = 0; running; n++) {
      const marker = `<${name}-${n}>`;
      client.text.insert(client.text.length, marker);
      await client.saved();
      acknowledged.push(marker);
    }
  })();
  return {
    acknowledged,
    /** Stops typing; waits for the last marker's acknowledgement only when `drain` (a live server). */
    stop: async (drain: boolean) => {
      running = false;
      if (drain) await done;
    },
  };
}

describe('an edit acknowledged by an instance that dies reaches the other instances (PostgreSQL)', () => {
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];
  let db: TempDatabase;
  const start = async (env: Record<string, string>) => {
    const server = await startServerProcess({ ...env, DOCBRIDGE_DATA_DIR: tempDataDir() });
    servers.push(server);
    return server;
  };
  const connect = (server: ServerProcess, doc: string, token: string) => {
    const client = connectClient(server.wsUrl, doc, token);
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const server of servers) await server.kill9();
    await db?.drop();
  });

  /**
   * Two instances on one document, a client on each; the `dying` one then commits and acknowledges its client's
   * `<acked-then-died>` but, from `SIGUSR2` on, publishes nothing to Redis (the `withhold-fanout` test fault).
   */
  async function withheldEdit(extraEnv: {
    dying?: Record<string, string>;
    survivor?: Record<string, string>;
  }) {
    db ??= await createTempDatabase();
    const env = { DATABASE_URL: db.url, REDIS_URL, DOCBRIDGE_JWT_SECRET: TEST_SECRET };
    const [dying, survivor] = await Promise.all([
      start({ ...env, DOCBRIDGE_TEST_FAULTS: 'withhold-fanout', ...extraEnv.dying }),
      start({ ...env, ...extraEnv.survivor }),
    ]);
    const doc = `dept-a/ack-${randomUUID().slice(0, 8)}`;
    const token = await portalToken({ docs: { [doc]: 'edit' } });
    const author = connect(dying!, doc, token);
    const reader = connect(survivor!, doc, token);
    await Promise.all([author.synced, reader.synced]);
    author.text.insert(0, '<before>');
    await waitFor(() => reader.text.toString().includes('<before>'), 'normal fan-out before the fault');

    // The fault: from now on the instance acknowledges and commits, but nothing leaves it for Redis.
    dying!.child.kill('SIGUSR2');
    await waitFor(() => dying!.output().includes('withholding fan-out'), 'the fault hook to take effect');
    author.text.insert(author.text.length, '<acked-then-died>');
    await author.saved();
    return { dying: dying!, doc, reader };
  }

  it('deterministic: the instance commits and acknowledges, publishes nothing, dies; the survivor gets the edit', async () => {
    const { dying, reader } = await withheldEdit({});
    // The gap is real: the survivor's copy lacks an edit its author was told is saved.
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.text.toString()).not.toContain('<acked-then-died>');

    const killedAt = Date.now();
    await dying.kill9();
    await waitFor(
      () => reader.text.toString().includes('<acked-then-died>'),
      'the acknowledged edit on the survivor',
      CATCH_UP_MS,
    );
    console.log(`instance death to survivor holding the unpublished edit: ${Date.now() - killedAt} ms`);
    expect(reader.text.toString()).toBe('<before><acked-then-died>');
  });

  it('the survivor compacts from memory meanwhile: the edit it never received stays in the log and reaches it', async () => {
    // Only the survivor compacts, at 10 entries: from its copy in memory, which lacks the withheld edit.
    const { dying, doc, reader } = await withheldEdit({
      dying: { DOCBRIDGE_COMPACT_AFTER: '1000000' },
      survivor: { DOCBRIDGE_COMPACT_AFTER: '10' },
    });
    for (const char of 'survivor-typing') {
      reader.text.insert(reader.text.length, char);
      await reader.saved();
    }
    const raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    try {
      await waitFor(
        async () => (await raw.query('SELECT 1 FROM doc_snapshots WHERE doc = $1', [doc])).rowCount === 1,
        "the survivor's compaction",
        CATCH_UP_MS,
      );
    } finally {
      await raw.end();
    }
    expect(reader.text.toString()).not.toContain('<acked-then-died>');

    await dying.kill9();
    await waitFor(
      () => reader.text.toString().includes('<acked-then-died>'),
      'the acknowledged edit on the survivor, from the log its compaction left it in',
      CATCH_UP_MS,
    );
    // Both were typed after <before> without seeing each other: Yjs orders them by client id.
    expect([
      '<before><acked-then-died>survivor-typing',
      '<before>survivor-typing<acked-then-died>',
    ]).toContain(reader.text.toString());
  });

  it(`randomized: ${ROUNDS} rounds of kill -9 while clients on both instances type`, async () => {
    db ??= await createTempDatabase();
    // Logs this short make both instances compact the shared document many times a round, each from its own
    // copy in memory (folding the entries it holds) while the other appends: what storage keeps is checked last.
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      DOCBRIDGE_JWT_SECRET: TEST_SECRET,
      DOCBRIDGE_COMPACT_AFTER: '20',
    };
    const survivor = await start(env);
    const doc = `dept-a/ack-random-${randomUUID().slice(0, 8)}`;
    const token = await portalToken({ docs: { [doc]: 'edit' } });
    const watchers = Array.from({ length: 3 }, () => connect(survivor, doc, token));
    await Promise.all(watchers.map((c) => c.synced));
    const catchUp: number[] = [];
    const mustHave: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const victim = await start(env);
      const authors = Array.from({ length: 3 }, () => connect(victim, doc, token));
      await Promise.all(authors.map((c) => c.synced));
      const onVictim = authors.map((c, i) => ackedTypist(c, `r${round}a${i}`));
      const onSurvivor = watchers.map((c, i) => ackedTypist(c, `r${round}s${i}`));
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 1300));
      await victim.kill9();
      const killedAt = Date.now();
      // An acknowledgement the victim wrote before dying may still be in flight to its client: let it land.
      await new Promise((r) => setTimeout(r, 100));
      await Promise.all(onVictim.map((t) => t.stop(false)));
      for (const author of authors) author.destroy();
      await Promise.all(onSurvivor.map((t) => t.stop(true)));
      mustHave.push(...[...onVictim, ...onSurvivor].flatMap((t) => t.acknowledged));
      await waitFor(
        () => watchers.every((w) => mustHave.every((marker) => w.text.toString().includes(marker))),
        `round ${round}: every acknowledged marker on every client of the survivor`,
        CATCH_UP_MS,
      );
      catchUp.push(Date.now() - killedAt);
    }
    const sorted = [...catchUp].sort((a, b) => a - b);
    console.log(
      `${ROUNDS} kills, ${mustHave.length} acknowledged markers; death to survivors complete: ` +
        `p50 ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`,
    );
    for (const watcher of watchers) {
      const text = watcher.text.toString();
      for (const marker of mustHave) expect(text.split(marker).length - 1, marker).toBe(1);
    }
    // And storage holds every one of them: the survivor dies too, and a new instance loads the document.
    await survivor.kill9();
    const reader = connect(await start(env), doc, token);
    await reader.synced;
    const stored = reader.text.toString();
    for (const marker of mustHave) expect(stored.split(marker).length - 1, marker).toBe(1);
  });
});
