import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeZip } from '../../connectors/formats/safeZip.ts';
import { fromYjs } from '../../connectors/model/yjs.ts';
import { ConversionBusyError, ConversionPool } from '../../server/convert/conversionPool.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

/** Markdown of about `megabytes` MB: many formatted paragraphs, slow and memory-hungry to parse. */
function bigMarkdown(megabytes: number): Uint8Array {
  const line = (i: number) => `Paragraph **${i}** with _some_ text and [a link](https://x.example/${i})`;
  const count = Math.ceil((megabytes * 1e6) / 75);
  return new TextEncoder().encode(Array.from({ length: count }, (_, i) => line(i)).join('\n\n'));
}

/** A .docx whose one part is not XML: the reader refuses it (400) when it is allowed to run at all. */
const brokenDocx = () =>
  writeZip([
    { name: '[Content_Types].xml', bytes: new TextEncoder().encode('<Types/>') },
    { name: 'word/document.xml', bytes: new TextEncoder().encode('<w:document><unclosed') },
  ]);

describe('the conversion pool (finding: conversions ran on the event loop without limits)', () => {
  it('stops a conversion past its memory limit, then converts the next file in a fresh worker', async () => {
    const pool = new ConversionPool({ size: 1, memoryMb: 48, timeoutMs: 120_000 });
    try {
      await expect(pool.importFile('md', bigMarkdown(12))).rejects.toMatchObject({
        code: 'CONVERSION_OUT_OF_MEMORY',
      });
      const next = await pool.importFile('md', new TextEncoder().encode('# Fine'));
      const doc = new Y.Doc();
      for (const update of next.updates) Y.applyUpdate(doc, update);
      expect(fromYjs(doc).content?.[0]).toMatchObject({ type: 'heading', content: [{ text: 'Fine' }] });
    } finally {
      await pool.close();
    }
  });

  it('terminates a conversion past its time limit, then converts the next file', async () => {
    // The big file takes tens of seconds; the small export after it must fit in the limit in a fresh worker on a busy
    // machine (200 ms did not, once, in CI).
    const pool = new ConversionPool({ size: 1, memoryMb: 1024, timeoutMs: 2000 });
    try {
      await expect(pool.importFile('md', bigMarkdown(8))).rejects.toMatchObject({
        code: 'CONVERSION_TIMEOUT',
      });
      const next = await pool.exportDocument(
        'md',
        { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'still here' }] }] },
        't',
      );
      expect(new TextDecoder().decode(next.bytes)).toContain('still here');
    } finally {
      await pool.close();
    }
  });

  it('refuses work beyond its queue instead of piling it up', async () => {
    const pool = new ConversionPool({ size: 1, maxQueue: 0, memoryMb: 1024, timeoutMs: 60_000 });
    try {
      const first = pool.importFile('md', bigMarkdown(0.2));
      await expect(pool.importFile('md', new TextEncoder().encode('x'))).rejects.toBeInstanceOf(
        ConversionBusyError,
      );
      await expect(first).resolves.toMatchObject({ updates: expect.any(Array) });
    } finally {
      await pool.close();
    }
  });
});

describe('POST /api/documents/import on a running server', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({
      DOCBRIDGE_DATA_DIR: tempDataDir(),
      DOCBRIDGE_JWT_SECRET: TEST_SECRET,
      // The hostile file takes tens of seconds to convert; a small one must finish well inside the limit even on a
      // busy machine (300 ms was not enough for '# Fine' in a fresh worker at load average 10).
      DOCBRIDGE_CONVERT_TIMEOUT_MS: '2000',
    });
  });
  afterAll(() => server?.stop());

  const importAs = async (
    docs: Record<string, 'read' | 'comment' | 'edit'>,
    name: string,
    body: Uint8Array,
  ) => {
    const token = await portalToken({ docs });
    const res = await fetch(`${server.url}/api/documents/import?filename=${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      body: body as Uint8Array<ArrayBuffer>,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('checks the grant before converting anything: no grant and read-only grants get 403, not a conversion', async () => {
    const grants: Record<string, 'read' | 'edit'>[] = [
      {},
      { 'dept-a/*': 'read' },
      { 'dept-a/one-doc': 'edit' },
    ];
    for (const docs of grants) {
      const answer = await importAs(docs, 'evil.docx', brokenDocx());
      expect(answer, JSON.stringify(docs)).toMatchObject({
        status: 403,
        body: { error: 'document-not-granted' },
      });
    }
    // The same file from a caller who may create documents is converted, and refused by the reader.
    expect(await importAs({ 'dept-a/*': 'edit' }, 'evil.docx', brokenDocx())).toMatchObject({
      status: 400,
      body: { error: 'invalid-file' },
    });
  });

  it('answers 422 conversion-limit for a file that converts past the time limit; the server keeps serving', async () => {
    const hostile = importAs({ 'dept-a/*': 'edit' }, 'huge.md', bigMarkdown(8));
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await hostile).toMatchObject({
      status: 422,
      body: { error: 'conversion-limit', code: 'CONVERSION_TIMEOUT' },
    });
    expect(
      await importAs({ 'dept-a/*': 'edit' }, 'fine.md', new TextEncoder().encode('# Fine')),
    ).toMatchObject({
      status: 201,
    });
  });
});
