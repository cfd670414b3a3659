import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readDocx } from '../../connectors/microsoft/docx/index.ts';
import { unzipPackage, zipPackage } from '../../connectors/microsoft/docx/zipPackage.ts';
import { documentFragment } from '../../connectors/model/yjs.ts';
import { type TestClient, waitFor } from '../helpers/clients.ts';
import { changedRegion, insideOneParagraph } from '../helpers/docxChanges.ts';
import { type MicrosoftLinkEnv, startMicrosoftLinkEnv } from '../helpers/microsoftLinkEnv.ts';

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/docx');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let env: MicrosoftLinkEnv;
beforeAll(async () => {
  env = await startMicrosoftLinkEnv();
});
afterAll(() => env?.close());

interface Block {
  type: string;
  content?: Block[];
}

/**
 * Where the web user types: the path (child indices from the document) of the first paragraph holding text,
 * at any depth (list items, table cells), else of the first empty paragraph, else of the first paragraph
 * (after its pictures, notes or text boxes); null when there is no paragraph.
 */
function editablePath(bytes: Uint8Array): number[] | null {
  const find = (blocks: Block[], wanted: (b: Block) => boolean): number[] | null => {
    for (const [i, block] of blocks.entries()) {
      if (block.type === 'paragraph') {
        if (wanted(block)) return [i];
        continue;
      }
      const inner = find(block.content ?? [], wanted);
      if (inner) return [i, ...inner];
    }
    return null;
  };
  const blocks = (readDocx(bytes).doc.content ?? []) as Block[];
  return (
    find(blocks, (p) => (p.content ?? []).some((child) => child.type === 'text')) ??
    find(blocks, (p) => (p.content ?? []).length === 0) ??
    find(blocks, () => true)
  );
}

/** Types at the end of the text of the paragraph at `path` of the web client's document. */
function typeAtEnd(client: TestClient, path: number[], text: string): void {
  let node: Y.XmlFragment | Y.XmlElement = documentFragment(client.doc);
  for (const index of path) node = node.get(index) as Y.XmlElement;
  let run = node.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
  if (!run) {
    run = new Y.XmlText('');
    node.insert(node.length, [run]);
  }
  run.insert(run.length, text);
}

/** Links `bytes` as a Word file to a fresh document, waits for the web client to show it. */
async function linkFile(bytes: Uint8Array, doc: string) {
  const file = await env.newWordFile(bytes);
  const created = await env.link(doc, file.webUrl);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const client = await env.client(doc);
  await waitFor(
    () => documentFragment(client.doc).length > 0 && documentFragment(client.doc).toString().length > 0,
    'the file in the client',
    30_000,
  );
  return { file, client, linkId: (created.body as { id: string }).id };
}

async function waitForUpload(itemId: string, before: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const count = async () =>
    (await env.stats()).uploads.filter((u) => u.itemId === itemId && u.status === 200).length;
  while ((await count()) <= before && Date.now() < deadline) await sleep(100);
  expect(await count(), 'an upload landed').toBeGreaterThan(before);
}

const fixtures = ['mammoth.js', 'python-docx'].flatMap((dir) =>
  readdirSync(join(FIXTURES, dir))
    .filter((name) => name.endsWith('.docx'))
    .map((name) => ({
      name: `${dir}/${name}`,
      bytes: new Uint8Array(readFileSync(join(FIXTURES, dir, name))),
    })),
);
const editable = fixtures.filter((f) => editablePath(f.bytes) !== null);

describe('real .docx fixtures: one web edit changes only that paragraph of the uploaded package', () => {
  it('has fixtures to run', () => {
    expect(editable.length).toBe(fixtures.length);
  });

  it.each(editable.map((f) => [f.name, f] as const))('%s', async (name, fixture) => {
    const path = editablePath(fixture.bytes)!;
    const { file, client, linkId } = await linkFile(
      fixture.bytes,
      `dept-a/fixture-${name.replace(/[^a-z0-9]/gi, '-')}`,
    );
    const original = await env.content(file.itemId);
    typeAtEnd(client, path, ' [edited]');
    await waitForUpload(file.itemId, 0);
    const uploaded = await env.content(file.itemId);
    const before = new Map(unzipPackage(original));
    const after = new Map(unzipPackage(uploaded));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changedParts = [...before.keys()].filter(
      (part) => !Buffer.from(before.get(part)!).equals(Buffer.from(after.get(part)!)),
    );
    expect(changedParts).toHaveLength(1);
    const oldXml = new TextDecoder().decode(before.get(changedParts[0]!));
    const newXml = new TextDecoder().decode(after.get(changedParts[0]!));
    const [start, oldEnd, newEnd] = changedRegion(oldXml, newXml);
    expect(
      insideOneParagraph(oldXml, start, oldEnd),
      'the change is inside one paragraph of the original',
    ).toBe(true);
    expect(insideOneParagraph(newXml, start, newEnd), 'and inside one paragraph of the upload').toBe(true);
    expect(newXml.slice(start, newEnd)).toContain('[edited]');
    client.destroy();
    await env.api(`/api/links/${linkId}`, undefined, 'DELETE');
  });
});

describe('files over 4 MB go through an upload session', () => {
  it('uploads a large file with images in 320 KiB-multiple fragments, resumes an interrupted upload, and keeps the images', async () => {
    const parts = new Map(
      unzipPackage(new Uint8Array(readFileSync(join(FIXTURES, 'python-docx/having-images.docx')))),
    );
    const image = 'word/media/image1.png';
    // A real PNG followed by 5 MB of incompressible bytes: still an image to every reader, and too big for a simple PUT.
    parts.set(image, Buffer.concat([parts.get(image)!, randomBytes(5 * 1024 * 1024)]));
    const bytes = zipPackage(parts);
    expect(bytes.byteLength).toBeGreaterThan(5_000_000);
    const { file, client } = await linkFile(bytes, 'dept-a/large-file');
    const index = (readDocx(bytes).doc.content ?? []).findIndex((b) => b.type === 'paragraph');
    const paragraph = documentFragment(client.doc).get(index) as Y.XmlElement;
    if (!(paragraph.get(0) instanceof Y.XmlText)) paragraph.insert(0, [new Y.XmlText('')]);
    (paragraph.get(0) as Y.XmlText).insert(0, '[large one]');
    await waitForUpload(file.itemId, 0, 60_000);
    let stats = await env.stats();
    const first = stats.uploads.filter((u) => u.itemId === file.itemId);
    expect(first.map((u) => [u.kind, u.status])).toEqual([['session', 200]]);
    expect(first[0]!.ifMatch).toBeTruthy();
    expect(
      Buffer.from(unzipPackage(await env.content(file.itemId)).get(image)!).equals(
        Buffer.from(parts.get(image)!),
      ),
    ).toBe(true);

    // The connection drops after the first fragment is stored: the connector asks where to resume.
    const resumesBefore = stats.calls['uploadSession.get'] ?? 0;
    await env.emulator.control('/control/faults', { reset: true, count: 1, calls: ['uploadSession.put'] });
    (paragraph.get(0) as Y.XmlText).insert(0, '[large two]');
    await waitForUpload(file.itemId, 1, 60_000);
    stats = await env.stats();
    expect(stats.calls['uploadSession.get'] ?? 0).toBeGreaterThan(resumesBefore);
    expect(stats.uploads.filter((u) => u.itemId === file.itemId).map((u) => u.status)).toEqual([200, 200]);
    const text = JSON.stringify(readDocx(await env.content(file.itemId)).doc);
    expect(text.split('[large one]').length - 1).toBe(1);
    expect(text.split('[large two]').length - 1).toBe(1);
  });
});
