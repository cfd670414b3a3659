import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRemoteImage, isPublicAddress } from '../../server/http/remoteImage.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

// Finding 7 (2026-12): the CSP let documents load images from any https host into readers' browsers.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
let images: Server;
let imageBase: string;
let server: ServerProcess;

beforeAll(async () => {
  images = createServer((req, res) => {
    if (req.url === '/pixel.png') return res.end(PNG);
    if (req.url === '/drawing.svg') return res.end('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>');
    if (req.url === '/huge.png') return res.end(Buffer.concat([PNG, Buffer.alloc(4096)]));
    if (req.url === '/moved') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      return res.end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  imageBase = `http://images.example:${(images.address() as AddressInfo).port}`;
  server = await startServerProcess({ DOCBRIDGE_DATA_DIR: tempDataDir(), DOCBRIDGE_JWT_SECRET: TEST_SECRET });
});
afterAll(async () => {
  images.close();
  await server.stop();
});

/** The test's image host stands in for a public one: its name resolves to loopback, which it allows. */
const asIfPublic = {
  maxBytes: 1024,
  timeoutMs: 5000,
  resolve: async () => ['127.0.0.1'],
  allowed: (address: string) => address === '127.0.0.1',
};

describe('finding 7: images only from this server', () => {
  it('sends a CSP whose img-src is this server and data: only', async () => {
    const csp = (await fetch(`${server.url}/healthz`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' data:;");
    expect(csp).not.toMatch(/img-src[^;]*https:/);
  });

  it('relays nothing from loopback, private or metadata addresses', async () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '::1',
      '::ffff:192.168.1.1',
      'fd00::1',
    ])
      expect(isPublicAddress(address), address).toBe(false);
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    const local = `http://127.0.0.1:${(images.address() as AddressInfo).port}/pixel.png`;
    const answer = await fetch(`${server.url}/api/image?src=${encodeURIComponent(local)}`, {
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ error: 'image-host-not-public' });
  });

  it('serves only this server’s pages or a signed-in caller', async () => {
    const src = encodeURIComponent('http://127.0.0.1/x.png');
    expect((await fetch(`${server.url}/api/image?src=${src}`)).status).toBe(401);
    const signedIn = await fetch(`${server.url}/api/image?src=${src}`, {
      headers: { authorization: `Bearer ${await portalToken({ docs: {} })}` },
    });
    expect(signedIn.status).toBe(403);
  });

  it('relays a raster image, and refuses SVG, oversized bodies and redirects to internal addresses', async () => {
    const image = await fetchRemoteImage(`${imageBase}/pixel.png`, asIfPublic);
    expect(image.type).toBe('image/png');
    expect(Buffer.from(image.bytes).equals(PNG)).toBe(true);
    await expect(fetchRemoteImage(`${imageBase}/drawing.svg`, asIfPublic)).rejects.toMatchObject({
      code: 'not-an-image',
    });
    await expect(fetchRemoteImage(`${imageBase}/huge.png`, asIfPublic)).rejects.toMatchObject({
      code: 'image-too-large',
    });
    await expect(fetchRemoteImage(`${imageBase}/moved`, asIfPublic)).rejects.toMatchObject({
      code: 'image-host-not-public',
    });
    await expect(fetchRemoteImage('javascript:alert(1)', asIfPublic)).rejects.toMatchObject({
      code: 'image-url-not-allowed',
    });
  });
});
