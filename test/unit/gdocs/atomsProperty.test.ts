/**
 * Property: whatever a user does around Google-only content (delete, insert, replace blocks), the batch is
 * valid for the engine (Google would accept it), atoms the new document keeps are untouched, and the result
 * reads back as the new document.
 */
import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchUpdateFromDiff,
  normalizeForGoogle,
  readGoogleDoc,
} from '../../../connectors/google/convert/index.ts';
import { isSealed } from '../../../connectors/model/atomSeal.ts';
import { applyRequests } from '../../emulators/google/engine/index.ts';
import { googleDocArb, propertySeed } from './googleArbitrary.ts';
import { richDocument } from './richDocument.ts';

const seed = propertySeed();
console.log(`gdocs atom properties: seed ${seed} (replay with FC_SEED=${seed})`);

/**
 * `doc` with every atom's and note's reader stamp checked and then blanked: normalizeForGoogle predicts content, while
 * only readGoogleDoc stamps (a prediction must never vouch for a payload).
 */
const withCheckedSeals = (doc: JSONContent): JSONContent => {
  if (doc.type === 'atomBlock' || doc.type === 'atomInline') {
    expect(isSealed(doc.attrs)).toBe(true);
    return { ...doc, attrs: { ...doc.attrs, seal: '' } };
  }
  // A note's content is compared too, so it is checked and blanked like an atom and then walked into.
  if (doc.type === 'note') {
    expect(isSealed(doc.attrs)).toBe(true);
    const blanked = { ...doc, attrs: { ...doc.attrs, seal: '' } };
    return doc.content ? { ...blanked, content: doc.content.map(withCheckedSeals) } : blanked;
  }
  return doc.content ? { ...doc, content: doc.content.map(withCheckedSeals) } : doc;
};

const atomKeys = (doc: JSONContent): string[] => {
  const out: string[] = [];
  const walk = (n: JSONContent) => {
    if (n.type === 'atomBlock' || n.type === 'atomInline') out.push(`${n.attrs!.kind}:${n.attrs!.payload}`);
    for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return out;
};

describe('atoms under random block edits (property)', () => {
  it('produces a valid batch that keeps the atoms still present and reads back as the new document', () => {
    const prev = richDocument(true);
    const imported = readGoogleDoc(prev).doc;
    const blocks = imported.content!;
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: blocks.length, maxLength: blocks.length }),
        googleDocArb,
        fc.array(fc.nat(), { maxLength: 3 }),
        (keep, extra, positions) => {
          // Section breaks are never deleted by a push (tested apart): the user keeps them here.
          const next = blocks.filter((b, i) => keep[i] || b.attrs?.kind === 'sectionBreak');
          for (const [i, block] of (extra.content ?? []).entries()) {
            next.splice((positions[i] ?? i) % (next.length + 1), 0, block);
          }
          const wanted: JSONContent = { type: 'doc', content: next };
          const { requests } = batchUpdateFromDiff(prev, imported, wanted);
          const read = withCheckedSeals(
            readGoogleDoc(requests.length > 0 ? applyRequests(prev, requests).document : prev).doc,
          );
          const expected = normalizeForGoogle(wanted).doc;
          expect(read).toEqual(expected);
          for (const key of atomKeys(expected)) expect(atomKeys(read)).toContain(key);
        },
      ),
      { seed, numRuns: 200 },
    );
  });
});

describe('section breaks', () => {
  it('are kept (with a warning) when the new document drops them, so the batch stays valid', () => {
    const prev = richDocument(true);
    const imported = readGoogleDoc(prev).doc;
    const wanted = {
      ...imported,
      content: imported.content!.filter((b) => b.attrs?.kind !== 'sectionBreak'),
    };
    const { requests, warnings } = batchUpdateFromDiff(prev, imported, wanted);
    expect(warnings.map((w) => w.code)).toContain('GDOCS_SECTION_BREAK_KEPT');
    expect(requests).toEqual([]);
  });
});
