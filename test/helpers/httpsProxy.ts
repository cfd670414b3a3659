import { request } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTestCa } from './testCa.ts';

/**
 * A local HTTPS front for a Docbridge server, with a certificate from a throwaway test CA (openssl), for what
 * only talks to HTTPS addresses, such as Drive's change notifications. `caPath` is the CA to trust.
 */
export async function startHttpsProxy() {
  const tls = createTestCa();
  let targetPort = 0;
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPath: tls.caPath,
    /** Where requests go (the Docbridge server's port). */
    target(port: number) {
      targetPort = port;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).finally(() => tls.dispose()),
  };
}
