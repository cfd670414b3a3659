import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadOrCreateMasterKey,
  masterKeysFromEnv,
  parseMasterKeys,
} from '../../../server/admin/masterKey.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('masterKeysFromEnv', () => {
  it('reads DOCBRIDGE_MASTER_KEYS in order (first = primary) and DOCBRIDGE_MASTER_KEY as id "default"', async () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const many = await masterKeysFromEnv({ DOCBRIDGE_MASTER_KEYS: ` new:${b64(k2)} , old:${b64(k1)} ` });
    expect(many.map((k) => k.id)).toEqual(['new', 'old']);
    expect(Buffer.from(many[0]!.key).equals(k2)).toBe(true);
    const one = await masterKeysFromEnv({ DOCBRIDGE_MASTER_KEY: b64(k1) });
    expect(one.map((k) => k.id)).toEqual(['default']);
    expect(Buffer.from(one[0]!.key).equals(k1)).toBe(true);
  });

  it('refuses ambiguous, malformed or short keys without echoing them', async () => {
    const key = b64(randomBytes(32));
    const short = b64(randomBytes(31));
    const cases: [Record<string, string>, string][] = [
      [{ DOCBRIDGE_MASTER_KEYS: `a:${key}`, DOCBRIDGE_MASTER_KEY: key }, 'MASTER_KEY_INVALID'],
      [{ DOCBRIDGE_MASTER_KEY: short }, 'MASTER_KEY_INVALID'],
      [{ DOCBRIDGE_MASTER_KEY: `${key}!` }, 'MASTER_KEY_INVALID'],
      [{ DOCBRIDGE_MASTER_KEYS: key }, 'MASTER_KEY_INVALID'],
      [{ DOCBRIDGE_MASTER_KEYS: `a:${key},a:${key}` }, 'MASTER_KEY_INVALID'],
      [{ DOCBRIDGE_MASTER_KEYS: `a:${short}` }, 'MASTER_KEY_INVALID'],
      [{}, 'MASTER_KEY_MISSING'],
    ];
    for (const [env, code] of cases) {
      const error = await masterKeysFromEnv(env).then(
        () => null,
        (e: Error) => e,
      );
      expect(error, JSON.stringify(Object.keys(env))).toMatchObject({ name: 'SecretBoxError', code });
      expect(error!.message).not.toContain(key.slice(0, 12));
      expect(error!.message).not.toContain(short.slice(0, 12));
    }
    expect(() => parseMasterKeys(' , ')).toThrow(expect.objectContaining({ code: 'MASTER_KEY_MISSING' }));
  });
});

describe('loadOrCreateMasterKey', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docbridge-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 32-byte key with mode 0600 on first use and returns the same key afterwards', async () => {
    const dataDir = join(dir, 'data');
    const created = await loadOrCreateMasterKey(dataDir);
    expect(created).toHaveLength(32);
    expect((await stat(join(dataDir, 'master.key'))).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await loadOrCreateMasterKey(dataDir)).equals(Buffer.from(created))).toBe(true);
    const fromEnv = await masterKeysFromEnv({}, dataDir);
    expect(fromEnv.map((k) => k.id)).toEqual(['local']);
    expect(Buffer.from(fromEnv[0]!.key).equals(Buffer.from(created))).toBe(true);
    expect(await readdir(dataDir)).toEqual(['master.key']);
  });

  it('gives concurrent first starts the same key', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateMasterKey(dir)));
    for (const key of keys) expect(Buffer.from(key).equals(Buffer.from(keys[0]!))).toBe(true);
    expect(await readdir(dir)).toEqual(['master.key']);
  });

  it('refuses a key file readable by others, and a corrupt one', async () => {
    await loadOrCreateMasterKey(dir);
    await chmod(join(dir, 'master.key'), 0o644);
    await expect(loadOrCreateMasterKey(dir)).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_INSECURE' });
    await writeFile(join(dir, 'master.key'), 'not a key\n', { mode: 0o600 });
    await chmod(join(dir, 'master.key'), 0o600);
    await expect(loadOrCreateMasterKey(dir)).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
  });
});
