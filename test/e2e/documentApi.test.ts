import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readOdt } from '../../connectors/formats/odt.ts';
import { readZip, writeZip } from '../../connectors/formats/safeZip.ts';
import { readDocx } from '../../connectors/microsoft/docx/index.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';
import { seedDocument, serverText } from './support/serverCopy.ts';

let server: ServerProcess;
let editor: string;
let reader: string;
let outsider: string;
let counter = 0;
const freshDoc = (label: string) => `dept-a/${label}-${process.pid}-${++counter}`;
const paragraphs = (...texts: string[]) => ({
  type: 'doc',
  content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

beforeAll(async () => {
  server = await startServerProcess({
    DOCBRIDGE_DATA_DIR: tempDataDir(),
    DOCBRIDGE_JWT_SECRET: TEST_SECRET,
    HOST: '127.0.0.1',
  });
  editor = await portalToken({ sub: 'u-ed', docs: { 'dept-a/*': 'edit' } });
  reader = await portalToken({ sub: 'u-re', docs: { 'dept-a/*': 'read' } });
  outsider = await portalToken({ sub: 'u-out', tenant: 'dept-b', docs: { 'dept-b/*': 'edit' } });
});

afterAll(() => server?.stop());

const call = (token: string, path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });
const json = async <T = Record<string, unknown>>(response: Response) => (await response.json()) as T;

describe('document API: link status, export, import, versions', () => {
  test('link status needs a role on the document, and lists nothing for an unlinked one', async () => {
    const name = freshDoc('links');
    const ok = await call(reader, `/api/documents/${name}/links`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ links: [] });
    expect((await call(outsider, `/api/documents/${name}/links`)).status).toBe(403);
    expect((await fetch(`${server.url}/api/documents/${name}/links`)).status).toBe(401);
  });

  test('export gives every format as an attachment, with the live text, to a reader', async () => {
    const name = freshDoc('export');
    await seedDocument(server.wsUrl, name, paragraphs('Exported words', 'Second line'));
    const docx = await call(reader, `/api/documents/${name}/export?format=docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-disposition')).toMatch(/^attachment; filename="export-.*\.docx"/);
    const read = readDocx(new Uint8Array(await docx.arrayBuffer()));
    expect(JSON.stringify(read.doc)).toContain('Exported words');
    const odt = await call(reader, `/api/documents/${name}/export?format=odt`);
    expect(JSON.stringify(readOdt(new Uint8Array(await odt.arrayBuffer())).doc)).toContain('Second line');
    expect(await (await call(reader, `/api/documents/${name}/export?format=md`)).text()).toBe(
      'Exported words\n\nSecond line\n',
    );
    const html = await call(reader, `/api/documents/${name}/export?format=html`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<p>Exported words</p>');
    expect((await call(reader, `/api/documents/${name}/export?format=exe`)).status).toBe(400);
    expect((await call(outsider, `/api/documents/${name}/export?format=md`)).status).toBe(403);
  });

  test('import makes a new document from raw and multipart bodies; hostile files get stable codes', async () => {
    const raw = await call(editor, '/api/documents/import?filename=Notes.md', {
      method: 'POST',
      body: '# Notes\n\nImported **text**.\n',
    });
    expect(raw.status).toBe(201);
    const created = await json<{ name: string; title: string }>(raw);
    expect(created.title).toBe('Notes');
    expect(created.name).toMatch(/^dept-a\/notes-[a-z0-9]+$/);
    expect(await serverText(server.wsUrl, created.name)).toBe('Notes\nImported text.');

    const form = new FormData();
    form.append('file', new Blob([readFixtureOdt().slice()]), 'Plan.odt');
    const multipart = await call(editor, '/api/documents/import', { method: 'POST', body: form });
    expect(multipart.status).toBe(201);
    expect(await serverText(server.wsUrl, (await json<{ name: string }>(multipart)).name)).toBe('Plan text');

    const notZip = await call(editor, '/api/documents/import?filename=evil.docx', {
      method: 'POST',
      body: 'this is not a zip file',
    });
    expect(notZip.status).toBe(400);
    expect(await notZip.json()).toMatchObject({
      error: 'invalid-file',
      code: expect.stringMatching(/^DOCX_|^ZIP_/),
    });
    const emptyZip = await call(editor, '/api/documents/import?filename=empty.odt', {
      method: 'POST',
      body: new Blob([
        writeZip([{ name: 'mimetype', bytes: new TextEncoder().encode('application/zip') }]).slice(),
      ]),
    });
    expect(await emptyZip.json()).toMatchObject({ error: 'invalid-file', code: 'ODT_WRONG_TYPE' });
    const binary = await call(editor, '/api/documents/import?filename=bad.md', {
      method: 'POST',
      body: new Uint8Array([0xff, 0xfe, 0xfd]),
    });
    expect(await binary.json()).toMatchObject({ error: 'invalid-file', code: 'TEXT_NOT_UTF8' });
    const exe = await call(editor, '/api/documents/import?filename=run.exe', { method: 'POST', body: 'x' });
    expect(await exe.json()).toMatchObject({ error: 'unsupported-format' });
    const huge = await call(editor, '/api/documents/import?filename=big.md', {
      method: 'POST',
      body: new Uint8Array(11 * 1024 * 1024).fill(97),
    });
    expect(huge.status).toBe(413);
    const readOnly = await call(reader, '/api/documents/import?filename=n.md', { method: 'POST', body: 'x' });
    expect(readOnly.status).toBe(403);
  });

  test('an imported .docx or .odt is kept as the base its export writes over; other formats warn', async () => {
    for (const format of ['docx', 'odt'] as const) {
      const original = new Uint8Array(
        readFileSync(`test/fixtures/fidelity/${format}/headerFooter.${format}`),
      );
      const imported = await call(editor, `/api/documents/import?filename=Ministry.${format}`, {
        method: 'POST',
        body: new Blob([original.slice()]),
      });
      expect(imported.status).toBe(201);
      const { name } = await json<{ name: string }>(imported);
      const exported = await call(reader, `/api/documents/${name}/export?format=${format}`);
      expect(exported.headers.get('docbridge-warnings')).toBeNull();
      const parts = readZip(new Uint8Array(await exported.arrayBuffer()));
      const originalParts = readZip(original);
      // Unedited: every part comes back byte for byte, headers and footers included.
      expect([...parts.keys()].sort()).toEqual([...originalParts.keys()].sort());
      for (const [part, bytes] of originalParts) expect(parts.get(part), part).toEqual(bytes);
      const md = await call(reader, `/api/documents/${name}/export?format=md`);
      expect(md.headers.get('docbridge-warnings')).toContain('EXPORT_ORIGINAL_PARTS_LOST');

      // A version carries the base: restoring one after another import brings it back.
      const saved = await call(editor, `/api/documents/${name}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Imported' }),
      });
      expect(await json(saved)).toMatchObject({ version: { baseId: expect.any(Number) } });
    }
  });

  test('versions: save, list, preview, and restore as a new edit; readers cannot save or restore', async () => {
    const name = freshDoc('versions');
    await seedDocument(server.wsUrl, name, paragraphs('First draft'));
    const saved = await call(editor, `/api/documents/${name}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Draft 1' }),
    });
    expect(saved.status).toBe(201);
    const { version } = await json<{ version: { id: number; name: string } }>(saved);
    expect(version.name).toBe('Draft 1');
    const auto = await call(editor, `/api/documents/${name}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auto: true }),
    });
    expect(await auto.json()).toEqual({ version: null, skipped: 'too-soon' });

    await seedDocument(server.wsUrl, name, paragraphs('Second draft'));
    expect((await serverText(server.wsUrl, name)).split('\n').sort()).toEqual([
      'First draft',
      'Second draft',
    ]);
    const preview = await json<{ content: unknown }>(
      await call(reader, `/api/documents/${name}/versions/${version.id}`),
    );
    expect(preview.content).toMatchObject(paragraphs('First draft'));
    expect(
      (await call(reader, `/api/documents/${name}/versions/${version.id}/restore`, { method: 'POST' }))
        .status,
    ).toBe(403);
    expect((await call(outsider, `/api/documents/${name}/versions`)).status).toBe(403);

    const restored = await call(editor, `/api/documents/${name}/versions/${version.id}/restore`, {
      method: 'POST',
    });
    expect(await restored.json()).toMatchObject({ ok: true, restored: version.id });
    expect(await serverText(server.wsUrl, name)).toBe('First draft');
    const list = await json<{ versions: { id: number; name: string | null }[] }>(
      await call(reader, `/api/documents/${name}/versions`),
    );
    // The content the restore replaced was saved first, as an automatic version.
    expect(list.versions.map((v) => v.name)).toEqual([null, 'Draft 1']);
    const other = freshDoc('other');
    expect((await call(reader, `/api/documents/${other}/versions/${version.id}`)).status).toBe(404);
  });
});

/** A minimal .odt package holding one paragraph. */
function readFixtureOdt(): Uint8Array {
  const encoder = new TextEncoder();
  const content =
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content ' +
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">' +
    '<office:body><office:text><text:p>Plan text</text:p></office:text></office:body></office:document-content>';
  return writeZip([
    { name: 'mimetype', bytes: encoder.encode('application/vnd.oasis.opendocument.text'), store: true },
    { name: 'content.xml', bytes: encoder.encode(content) },
  ]);
}
