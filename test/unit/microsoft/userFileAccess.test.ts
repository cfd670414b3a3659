import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEndpoints, type MicrosoftAppCredential } from '../../../connectors/microsoft/credentials.ts';
import { microsoftRemoteId } from '../../../connectors/microsoft/itemAddress.ts';
import { userFileAccess } from '../../../connectors/microsoft/userFileAccess.ts';
import { type GraphEmulator, startGraphEmulator } from '../../emulators/microsoft/server.ts';
import { emulatorControl } from '../../helpers/emulatorControl.ts';
import { docxOf, trustCa, usersWithAccess } from '../../helpers/graphEmulator.ts';
import { selfSignedPem } from '../../helpers/testCa.ts';

const TENANT = '41111111-2222-3333-4444-555555555555';
const SECRET_APP = '4aaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const CERT_APP = '4bbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'emulated~addin~secret';

let emulator: GraphEmulator;
let control: ReturnType<typeof emulatorControl>;
let file: { driveId: string; itemId: string; webUrl: string };
let certificate: string;
let oids: Map<string, string>;

const app = (clientId: string): MicrosoftAppCredential => ({
  tenantId: TENANT,
  clientId,
  secret:
    clientId === CERT_APP
      ? { kind: 'certificate', certificate }
      : { kind: 'clientSecret', clientSecret: SECRET },
  endpoints: { ...defaultEndpoints, graph: emulator.graphUrl, login: emulator.loginUrl },
});

/** The add-in's sign-in for `upn`, through the app registration `clientId`. */
async function access(upn: string, clientId = SECRET_APP, url = file.webUrl) {
  const { accessToken } = await control<{ accessToken: string }>(`/control/users/${upn}/addin-token`, {
    audience: clientId,
  });
  return userFileAccess(app(clientId), clientId, accessToken, oids.get(upn)!, microsoftRemoteId(url)!);
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { code?: string }) => error.code,
  );

beforeAll(async () => {
  emulator = await startGraphEmulator({ notificationLagMs: 200 });
  trustCa(emulator.caPem);
  control = emulatorControl(emulator.graphUrl);
  const { key, cert } = selfSignedPem('/CN=docbridge-addin');
  certificate = `${key}\n${cert}`;
  await control('/control/apps', { tenantId: TENANT, clientId: SECRET_APP, clientSecret: SECRET });
  await control('/control/apps', { tenantId: TENANT, clientId: CERT_APP, certificatePem: cert });
  const { driveId } = await control<{ driveId: string }>('/control/drives', { tenantId: TENANT });
  file = {
    driveId,
    ...(await control<{ itemId: string; webUrl: string }>(`/control/drives/${driveId}/items`, {
      name: 'Policy.docx',
      contentBase64: Buffer.from(docxOf(['One'])).toString('base64'),
    })),
  };
  oids = await usersWithAccess(control, TENANT, file, {
    'olga@contoso.com': 'owner',
    'wim@contoso.com': 'write',
    'rita@contoso.com': 'read',
    'nora@contoso.com': 'none',
  });
});
afterAll(() => emulator?.close());

describe('the Word add-in user’s own access to a file (on-behalf-of, then Graph as the user)', () => {
  it('answers edit for an owner or a writer and read for a reader, with the canonical id', async () => {
    const canonical = `drives/${file.driveId}/items/${file.itemId}`;
    expect(await access('olga@contoso.com')).toEqual({
      remoteId: canonical,
      name: 'Policy.docx',
      role: 'edit',
    });
    expect((await access('wim@contoso.com')).role).toBe('edit');
    expect((await access('rita@contoso.com')).role).toBe('read');
  });

  it('signs the exchange with a certificate credential too', async () => {
    expect((await access('wim@contoso.com', CERT_APP)).role).toBe('edit');
    expect((await access('rita@contoso.com', CERT_APP)).role).toBe('read');
  });

  it('refuses a user without access, and an address naming no file', async () => {
    expect(await refusal(access('nora@contoso.com'))).toBe('WORD_ADDIN_NO_ACCESS');
    const nowhere = 'https://contoso.sharepoint.com/sites/Policy/Shared%20Documents/Missing.docx';
    expect(await refusal(access('wim@contoso.com', SECRET_APP, nowhere))).toBe('WORD_ADDIN_NOT_LINKED');
  });

  it('turns Entra’s refusal of the exchange into the add-in’s codes', async () => {
    // The token was issued for another app than the one exchanging it.
    const { accessToken } = await control<{ accessToken: string }>(
      '/control/users/wim@contoso.com/addin-token',
      {
        audience: CERT_APP,
      },
    );
    const wrong = userFileAccess(
      app(SECRET_APP),
      SECRET_APP,
      accessToken,
      oids.get('wim@contoso.com')!,
      microsoftRemoteId(file.webUrl)!,
    );
    expect(await refusal(wrong)).toBe('WORD_ADDIN_TOKEN_INVALID');
  });
});
