import { hkdfSync, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_ID_PATTERN, MASTER_KEY_BYTES, type MasterKey } from './secretBox.ts';
import { SecretBoxError } from './secretBoxError.ts';

/** File holding the generated local-mode key, base64, mode 0600, in the data directory. */
export const MASTER_KEY_FILE = 'master.key';
/** Key id of `DOCBRIDGE_MASTER_KEY` (single key) and of the local-mode key file. */
export const DEFAULT_KEY_ID = 'default';
export const LOCAL_KEY_ID = 'local';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The master keys the server uses, from the environment, in this order of precedence:
 * - `DOCBRIDGE_MASTER_KEYS=id1:base64,id2:base64`: several keys for rotation; the FIRST encrypts new
 *   secrets, all of them decrypt. Rotate by prepending a new key and keeping the old ones listed until
 *   every row was re-sealed. Ids match `[A-Za-z0-9_.-]{1,64}` and are stored beside each ciphertext.
 * - `DOCBRIDGE_MASTER_KEY=base64`: one key, id `default` (to rotate later, move to
 *   `DOCBRIDGE_MASTER_KEYS=new:...,default:<the old key>`).
 * - neither, and `dataDir` given (local mode): `loadOrCreateMasterKey(dataDir)`, id `local`.
 * Setting both variables is refused as ambiguous. Keys are 32 bytes in standard base64.
 */
export async function masterKeysFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  dataDir?: string,
): Promise<MasterKey[]> {
  const many = env.DOCBRIDGE_MASTER_KEYS?.trim();
  const one = env.DOCBRIDGE_MASTER_KEY?.trim();
  if (many && one) {
    throw new SecretBoxError(
      'MASTER_KEY_INVALID',
      'set DOCBRIDGE_MASTER_KEYS or DOCBRIDGE_MASTER_KEY, not both',
    );
  }
  if (many) return parseMasterKeys(many);
  if (one) return [{ id: DEFAULT_KEY_ID, key: decodeKey(one, 'DOCBRIDGE_MASTER_KEY') }];
  if (dataDir === undefined) {
    throw new SecretBoxError(
      'MASTER_KEY_MISSING',
      'no master key: set DOCBRIDGE_MASTER_KEY (32 bytes, base64) or DOCBRIDGE_MASTER_KEYS',
    );
  }
  return [{ id: LOCAL_KEY_ID, key: await loadOrCreateMasterKey(dataDir) }];
}

/** Parses `id1:base64,id2:base64` (first = primary); messages name ids and positions, never key bytes. */
export function parseMasterKeys(value: string): MasterKey[] {
  const keys = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry, index) => {
      const colon = entry.indexOf(':');
      const id = colon < 0 ? '' : entry.slice(0, colon).trim();
      if (!KEY_ID_PATTERN.test(id)) {
        throw new SecretBoxError(
          'MASTER_KEY_INVALID',
          `DOCBRIDGE_MASTER_KEYS entry ${index + 1} must be <id>:<base64 key>, id matching ${KEY_ID_PATTERN}`,
        );
      }
      return { id, key: decodeKey(entry.slice(colon + 1).trim(), `DOCBRIDGE_MASTER_KEYS key '${id}'`) };
    });
  if (keys.length === 0) throw new SecretBoxError('MASTER_KEY_MISSING', 'DOCBRIDGE_MASTER_KEYS lists no key');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length)
    throw new SecretBoxError('MASTER_KEY_INVALID', 'DOCBRIDGE_MASTER_KEYS repeats an id');
  return keys;
}

function decodeKey(text: string, what: string): Uint8Array {
  const key = BASE64.test(text) ? Buffer.from(text, 'base64') : null;
  if (!key || key.byteLength !== MASTER_KEY_BYTES) {
    throw new SecretBoxError(
      'MASTER_KEY_INVALID',
      `${what} must be ${MASTER_KEY_BYTES} bytes in standard base64`,
    );
  }
  return new Uint8Array(key);
}

/**
 * Local mode's master key: read from `<dataDir>/master.key`, or generated there (32 random bytes, base64,
 * file mode 0600, directory created 0700) on first start. Creation is atomic and race-free: the key is written
 * and fsynced to a temporary file that is then hard-linked into place, so two processes starting together end
 * up with the same key and a crash never leaves a half-written key. A key file readable by group or others is
 * refused (`MASTER_KEY_FILE_INSECURE`) rather than silently used.
 */
export async function loadOrCreateMasterKey(dataDir: string): Promise<Uint8Array> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, MASTER_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing) return existing;
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(`${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  const created = await readKeyFile(path);
  if (!created) throw new SecretBoxError('MASTER_KEY_MISSING', `${path} vanished while it was created`);
  return created;
}

async function readKeyFile(path: string): Promise<Uint8Array | null> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if ((mode & 0o077) !== 0) {
    throw new SecretBoxError(
      'MASTER_KEY_FILE_INSECURE',
      `${path} is readable by group or others; run chmod 600 on it`,
    );
  }
  return decodeKey((await readFile(path, 'utf8')).trim(), path);
}

/** The key atom payload stamps use (connectors/model/atomSeal.ts), derived from a master key with HKDF. */
export function atomSealKeyFrom(masterKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', masterKey, 'docbridge', 'atom-seal-v1', 32));
}
