import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fingerprint, SecretBox } from '../../../server/admin/secretBox.ts';

const key = (id: string) => ({ id, key: randomBytes(32) });
const context = { tenant: 'dept-a', credentialId: '9b1c7a4e-0000-4000-8000-000000000001' };
const secret = '{"private_key":"-----BEGIN PRIVATE KEY-----TOP-SECRET-MATERIAL"}';

function errorOf(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

describe('SecretBox', () => {
  it('seals with the primary key, a fresh 12-byte IV each time, and opens in the same context', () => {
    const box = new SecretBox([key('k1')]);
    const one = box.seal(secret, context);
    const two = box.seal(secret, context);
    expect(one.keyId).toBe('k1');
    expect(one.iv).toHaveLength(12);
    expect(one.authTag).toHaveLength(16);
    expect(Buffer.from(one.iv).equals(Buffer.from(two.iv))).toBe(false);
    expect(Buffer.from(one.ciphertext).includes(Buffer.from('TOP-SECRET'))).toBe(false);
    expect(box.open(one, context)).toBe(secret);
    expect(box.open(two, context)).toBe(secret);
  });

  it('refuses another tenant, another credential id, or altered bytes, without echoing the secret', () => {
    const box = new SecretBox([key('k1')]);
    const sealed = box.seal(secret, context);
    const altered = Uint8Array.from(sealed.ciphertext);
    altered[0]! ^= 1;
    const failures = [
      errorOf(() => box.open(sealed, { ...context, tenant: 'dept-b' })),
      errorOf(() => box.open(sealed, { ...context, credentialId: 'other' })),
      // A tenant name that tries to forge the separator between tenant and id.
      errorOf(() => box.open(sealed, { tenant: 'dept-a","9b1c', credentialId: '7a4e' })),
      errorOf(() => box.open({ ...sealed, ciphertext: altered }, context)),
      errorOf(() => box.open({ ...sealed, authTag: new Uint8Array(16) }, context)),
    ];
    for (const failure of failures) {
      expect(failure).toMatchObject({ name: 'SecretBoxError', code: 'SECRET_DECRYPT_FAILED' });
      expect(`${failure.message} ${failure.stack} ${inspect(failure)}`).not.toContain('TOP-SECRET');
    }
  });

  it('decrypts rows of older keys after rotation and reports a key no longer configured', () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const old = new SecretBox([k1]).seal(secret, context);
    const rotated = new SecretBox([k2, k1]);
    expect(rotated.primaryKeyId).toBe('k2');
    expect(rotated.keyIds).toEqual(['k2', 'k1']);
    expect(rotated.open(old, context)).toBe(secret);
    expect(rotated.seal(secret, context).keyId).toBe('k2');
    expect(errorOf(() => new SecretBox([k2]).open(old, context))).toMatchObject({
      code: 'MASTER_KEY_UNKNOWN',
    });
    // Same id, different key bytes: authentication fails instead of returning garbage.
    expect(
      errorOf(() => new SecretBox([{ id: 'k1', key: randomBytes(32) }]).open(old, context)),
    ).toMatchObject({
      code: 'SECRET_DECRYPT_FAILED',
    });
  });

  it('validates its keys and never prints key material', () => {
    expect(errorOf(() => new SecretBox([]))).toMatchObject({ code: 'MASTER_KEY_MISSING' });
    expect(errorOf(() => new SecretBox([{ id: 'short', key: randomBytes(16) }]))).toMatchObject({
      code: 'MASTER_KEY_INVALID',
    });
    expect(errorOf(() => new SecretBox([{ id: 'bad id!', key: randomBytes(32) }]))).toMatchObject({
      code: 'MASTER_KEY_INVALID',
    });
    expect(errorOf(() => new SecretBox([key('same'), key('same')]))).toMatchObject({
      code: 'MASTER_KEY_INVALID',
    });
    const material = key('k1');
    const box = new SecretBox([material]);
    const shown = `${inspect(box, { showHidden: true, depth: 5 })} ${JSON.stringify({ box })} ${String(box)}`;
    for (const encoding of ['base64', 'hex'] as const) {
      expect(shown).not.toContain(Buffer.from(material.key).toString(encoding).slice(0, 12));
    }
    expect(shown).toContain('k1');
  });
});

describe('fingerprint', () => {
  it('is short, stable, distinct per secret and does not contain the secret', () => {
    const print = fingerprint(secret);
    expect(print).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(fingerprint(secret)).toBe(print);
    expect(fingerprint(`${secret} `)).not.toBe(print);
    expect(print).not.toContain('SECRET');
  });
});
