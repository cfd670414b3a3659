import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway certificate authority and one server certificate it signed, as PEM text and files. */
export interface TestCa {
  /** The CA certificate: what a client trusts (`NODE_EXTRA_CA_CERTS`, `ca:`). */
  caPath: string;
  caPem: string;
  key: string;
  cert: string;
  /** Deletes the private keys and certificates. */
  dispose(): void;
}

/**
 * Generates a fresh CA (one day, never written anywhere but a private temp directory) and a certificate for
 * 127.0.0.1 and localhost signed by it, with openssl. The real auth library refuses a plain-http authority,
 * so the Graph emulator must speak HTTPS, and a client trusts it only by being given this CA: nothing is
 * disabled (no NODE_TLS_REJECT_UNAUTHORIZED).
 */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'docbridge-test-ca-'));
  const file = (name: string) => join(dir, name);
  selfSigned(file('ca.key'), file('ca.pem'), '/CN=Docbridge throwaway test CA', [
    'basicConstraints=critical,CA:TRUE',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  ]);
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  ]);
  rmSync(file('ca.key'));
  return {
    caPath: file('ca.pem'),
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    key: readFileSync(file('server.key'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A self-signed certificate and its key, as PEM text (an app registration's certificate credential). */
export function selfSignedPem(subject: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'docbridge-cert-'));
  try {
    selfSigned(join(dir, 'key.pem'), join(dir, 'cert.pem'), subject, []);
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function selfSigned(keyPath: string, certPath: string, subject: string, extensions: string[]): void {
  const ext = extensions.flatMap((e) => ['-addext', e]);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    subject,
    ...ext,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}
