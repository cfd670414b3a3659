import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import type { GoogleEmulator } from '../emulators/google/server.ts';

/**
 * A fresh service account key, shaped like the JSON key file Google issues, registered with the emulator
 * (which verifies its assertion signatures with the public half).
 */
export async function createServiceAccount(
  emulator: { url: string; tokenUrl: string } | GoogleEmulator,
  email: string,
) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const key = {
    type: 'service_account' as const,
    project_id: 'docbridge-test',
    private_key_id: 'test-key-1',
    private_key: await exportPKCS8(privateKey),
    client_email: email,
    client_id: '1234567890',
    token_uri: emulator.tokenUrl,
  };
  const response = await fetch(`${emulator.url}/control/service-accounts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ clientEmail: email, publicKeyPem: await exportSPKI(publicKey) }),
  });
  if (!response.ok) throw new Error(`could not register the service account: ${response.status}`);
  return key;
}
