import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { microsoftCredentialBody } from '../../../connectors/microsoft/credentials.ts';
import { microsoftSuite } from '../../../connectors/microsoft/suite.ts';

const base = { tenantId: 'contoso.onmicrosoft.com', clientId: 'abc-123', clientSecret: 's' };

describe('the Word add-in client id on a Microsoft credential', () => {
  it('is optional, a GUID, kept in lower case in the metadata', () => {
    expect(microsoftCredentialBody.parse(base).addinClientId).toBeUndefined();
    const body = microsoftCredentialBody.parse({
      ...base,
      addinClientId: '7C0FFEE0-1234-4ABC-8DEF-0123456789AB',
    });
    expect(body.addinClientId).toBe('7c0ffee0-1234-4abc-8def-0123456789ab');
    expect(microsoftSuite.credential.store(body).metadata).toMatchObject({
      addinClientId: body.addinClientId,
    });
    expect(microsoftSuite.credential.store(microsoftCredentialBody.parse(base)).metadata).not.toHaveProperty(
      'addinClientId',
    );
    const refused = microsoftCredentialBody.safeParse({ ...base, addinClientId: 'api://docs.example/abc' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/addinClientId/);
  });

  it('is set from the CLI with --addin-client', async () => {
    const secretFile = join(mkdtempSync(join(tmpdir(), 'docbridge-addin-')), 'secret');
    writeFileSync(secretFile, 'the-secret\n', { mode: 0o600 });
    const values = { tenant: 't', client: 'c', 'secret-file': secretFile, 'addin-client': 'a-guid' };
    const { body } = await microsoftSuite.cli.body(values);
    expect(body).toMatchObject({ addinClientId: 'a-guid', clientSecret: 'the-secret' });
    expect(microsoftSuite.cli.usage).toContain('--addin-client ID');
  });
});
