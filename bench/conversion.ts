/**
 * Conversion throughput: docx import (readDocx) and export (writeDocx as a new package, and as a one-edit
 * patch of the original), over the shared fixtures and over a generated 200-page document, beside mammoth's
 * convertToHtml on the same bytes in the same run. Prints a table and returns the figures as JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { JSONContent } from '@tiptap/core';
import mammoth from 'mammoth';
import { readDocx, writeDocx } from '../connectors/microsoft/docx/index.ts';
import { editOneBlock, fixtureRoot, fixtures } from '../test/unit/docx/docxTestKit.ts';

interface Rate {
  seconds: number;
  mbPerSecond: number;
  paragraphsPerSecond: number;
}

function countParagraphs(doc: JSONContent): number {
  let n = 0;
  const walk = (node: JSONContent) => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'codeBlock') n++;
    for (const c of node.content ?? []) walk(c);
  };
  walk(doc);
  return n;
}

/** A ~200-page document: per page a heading, 8 paragraphs with marks and a link, a 4-item list, a 3x3 table. */
function bigDocument(pages = 200): JSONContent {
  const words =
    'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore'.split(
      ' ',
    );
  const sentence = (i: number, len: number) =>
    Array.from({ length: len }, (_, k) => words[(i * 7 + k) % words.length]).join(' ');
  const content: JSONContent[] = [];
  for (let p = 0; p < pages; p++) {
    content.push({
      type: 'heading',
      attrs: { level: 2 },
      content: [{ type: 'text', text: `Section ${p + 1}` }],
    });
    for (let i = 0; i < 8; i++) {
      content.push({
        type: 'paragraph',
        content: [
          { type: 'text', text: `${sentence(p + i, 30)} ` },
          { type: 'text', text: sentence(i, 3), marks: [{ type: 'bold' }] },
          { type: 'text', text: ` ${sentence(p * i, 20)} ` },
          {
            type: 'text',
            text: 'link',
            marks: [{ type: 'link', attrs: { href: `https://example.com/${p}/${i}` } }],
          },
          { type: 'text', text: '.' },
        ],
      });
    }
    content.push({
      type: 'bulletList',
      content: Array.from({ length: 4 }, (_, i) => ({
        type: 'listItem',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: sentence(p + i, 8) }] }],
      })),
    });
    content.push({
      type: 'table',
      content: Array.from({ length: 3 }, (_, r) => ({
        type: 'tableRow',
        content: Array.from({ length: 3 }, (_, c) => ({
          type: 'tableCell',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: sentence(r + c + p, 3) }] }],
        })),
      })),
    });
  }
  return { type: 'doc', content };
}

async function measure(
  bytesTotal: number,
  paragraphs: number,
  rounds: number,
  run: () => unknown,
): Promise<Rate> {
  await run(); // warm-up
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await run();
  const seconds = (performance.now() - start) / 1000 / rounds;
  return { seconds, mbPerSecond: bytesTotal / 1e6 / seconds, paragraphsPerSecond: paragraphs / seconds };
}

const fmt = (r: Rate) =>
  `${r.mbPerSecond.toFixed(2).padStart(8)} MB/s ${Math.round(r.paragraphsPerSecond).toString().padStart(9)} par/s`;

type Figures = { files: number; bytes: number; paragraphs: number } & Record<
  'import' | 'mammothImport' | 'exportNew' | 'exportPatch',
  Rate
>;

/** The fixture corpus timed as a whole, or null (and a line on stderr saying so) when it is not there. */
async function fixtureFigures(): Promise<Figures | null> {
  if (!existsSync(fixtureRoot)) {
    process.stderr.write(
      `bench: conversion: no docx fixtures at ${fixtureRoot} (the shared corpus beside the repository, or ` +
        'DOCBRIDGE_FIXTURES_DIR=<dir with docx/>); the fixture row is skipped, the generated document still runs\n',
    );
    return null;
  }
  const files = fixtures().map((f) => new Uint8Array(readFileSync(f.file)));
  const fixtureBytes = files.reduce((n, b) => n + b.length, 0);
  const fixtureReads = files.map((b) => readDocx(b));
  const fixtureParagraphs = fixtureReads.reduce((n, r) => n + countParagraphs(r.doc), 0);
  const fixtureEdits = fixtureReads.map((r) => editOneBlock(r.doc).doc);
  return {
    files: files.length,
    bytes: fixtureBytes,
    paragraphs: fixtureParagraphs,
    import: await measure(fixtureBytes, fixtureParagraphs, 5, () => {
      for (const b of files) readDocx(b);
    }),
    mammothImport: await measure(fixtureBytes, fixtureParagraphs, 5, async () => {
      for (const b of files) await mammoth.convertToHtml({ buffer: Buffer.from(b) });
    }),
    exportNew: await measure(fixtureBytes, fixtureParagraphs, 5, () => {
      for (const r of fixtureReads) writeDocx(r.doc);
    }),
    exportPatch: await measure(fixtureBytes, fixtureParagraphs, 5, () => {
      fixtureReads.forEach((r, i) => {
        writeDocx(fixtureEdits[i] as JSONContent, { base: r.source });
      });
    }),
  };
}

/**
 * Runs the docx conversion bench; prints a table, returns every figure (`skipped` names a part that could
 * not run, such as the fixture corpus when the repository is checked out without it).
 */
export async function runConversionBench(): Promise<object> {
  const big = writeDocx(bigDocument()).bytes;
  const bigRead = readDocx(big);
  const bigParagraphs = countParagraphs(bigRead.doc);
  const bigEdit = editOneBlock(bigRead.doc).doc;
  const fixtureSet = await fixtureFigures();

  const sets: Record<string, Figures> = {
    ...(fixtureSet ? { fixtures: fixtureSet } : {}),
    generated200Pages: {
      files: 1,
      bytes: big.length,
      paragraphs: bigParagraphs,
      import: await measure(big.length, bigParagraphs, 3, () => readDocx(big)),
      mammothImport: await measure(big.length, bigParagraphs, 3, () =>
        mammoth.convertToHtml({ buffer: Buffer.from(big) }),
      ),
      exportNew: await measure(big.length, bigParagraphs, 3, () => writeDocx(bigRead.doc)),
      exportPatch: await measure(big.length, bigParagraphs, 3, () =>
        writeDocx(bigEdit, { base: bigRead.source }),
      ),
    },
  };
  const heapUsedMB = process.memoryUsage().heapUsed / 1e6;
  const lines = [
    'docx conversion        import (ours)                   import (mammoth)              ours/mammoth   export new                      export patch (1 edit)',
  ];
  const result: Record<string, unknown> = {
    heapUsedMB,
    skipped: fixtureSet ? [] : [`fixtures (${fixtureRoot})`],
  };
  for (const [name, s] of Object.entries(sets)) {
    const ratio = s.import.mbPerSecond / s.mammothImport.mbPerSecond;
    lines.push(
      `${name.padEnd(22)} ${fmt(s.import)}   ${fmt(s.mammothImport)}   ${ratio.toFixed(2).padStart(6)}x      ${fmt(s.exportNew)}   ${fmt(s.exportPatch)}`,
    );
    result[name] = { ...s, importRatioOursOverMammoth: ratio };
  }
  lines.push(`heap used after the run: ${heapUsedMB.toFixed(1)} MB`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runConversionBench().then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
