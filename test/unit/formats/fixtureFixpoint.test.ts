import { readFileSync } from 'node:fs';
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { readHtml, writeHtml } from '../../../connectors/formats/html.ts';
import { readMarkdown } from '../../../connectors/formats/markdownRead.ts';
import { writeMarkdown } from '../../../connectors/formats/markdownWrite.ts';
import { readOdt, writeOdt } from '../../../connectors/formats/odt.ts';
import { readGoogleDoc, writeGoogleDoc } from '../../../connectors/google/convert/index.ts';
import { readDocx } from '../../../connectors/microsoft/docx/index.ts';
import { fixtures } from '../docx/docxTestKit.ts';

/** A write-then-read through one format. */
const formats: Record<string, (doc: JSONContent) => JSONContent> = {
  md: (doc) => readMarkdown(writeMarkdown(doc).text).doc,
  html: (doc) => readHtml(writeHtml(doc).html).doc,
  odt: (doc) => readOdt(writeOdt(doc).bytes).doc,
  'gdoc.json': (doc) => readGoogleDoc(writeGoogleDoc(doc).document).doc,
};

/**
 * Real documents nobody here wrote, through every other format: whatever a format cannot hold is lost (and
 * reported) on the first trip, and the second trip changes nothing: a fixpoint, so sync cycles stay still.
 */
describe('round trips of every docx fixture through every format reach a fixpoint', () => {
  for (const { name, file } of fixtures()) {
    it(name, () => {
      const imported = readDocx(new Uint8Array(readFileSync(file))).doc;
      for (const [format, trip] of Object.entries(formats)) {
        const once = trip(imported);
        expect(trip(once), `${name} through ${format}`).toEqual(once);
      }
    });
  }
});
