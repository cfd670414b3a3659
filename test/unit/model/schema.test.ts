import { generateHTML, generateJSON } from '@tiptap/html';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConversionError } from '../../../connectors/model/errors.ts';
import { extensions, schema, validateDoc } from '../../../connectors/model/schema.ts';
import { allFeatures, arbitraryDoc, canonicalDoc } from './arbitraryDoc.ts';

describe('schema', () => {
  it('has the node and mark types of the contract', () => {
    for (const name of [
      'doc',
      'paragraph',
      'heading',
      'bulletList',
      'orderedList',
      'listItem',
      'blockquote',
      'codeBlock',
      'horizontalRule',
      'hardBreak',
      'text',
      'table',
      'tableRow',
      'tableHeader',
      'tableCell',
      'image',
      'atomBlock',
      'atomInline',
    ]) {
      expect(schema.nodes[name], name).toBeDefined();
    }
    expect(Object.keys(schema.marks).sort()).toEqual([
      'bold',
      'code',
      'italic',
      'link',
      'strike',
      'underline',
    ]);
    expect(schema.nodes.image?.isInline).toBe(true);
    expect(schema.nodes.atomInline?.isAtom && schema.nodes.atomInline.isInline).toBe(true);
    expect(schema.nodes.atomBlock?.isAtom && schema.nodes.atomBlock.isBlock).toBe(true);
    expect(schema.nodes.paragraph?.spec.attrs?.blockStyle).toBeDefined();
    expect(schema.nodes.heading?.spec.attrs?.blockStyle).toBeDefined();
  });

  it('validateDoc accepts generated documents and refuses invalid ones with SCHEMA_INVALID', () => {
    fc.assert(
      fc.property(arbitraryDoc(allFeatures), (doc) => void validateDoc(doc)),
      { numRuns: 50 },
    );
    const invalid = [
      { type: 'doc', content: [{ type: 'text', text: 'loose text' }] },
      { type: 'doc', content: [{ type: 'nope' }] },
      { type: 'paragraph' },
      {
        type: 'doc',
        content: [
          {
            type: 'paragraph',
            content: [{ type: 'text', text: 'x', marks: [{ type: 'code' }, { type: 'bold' }] }],
          },
        ],
      },
      { type: 'doc', content: [{ type: 'bulletList', content: [{ type: 'paragraph' }] }] },
    ];
    for (const doc of invalid) {
      let error: unknown;
      try {
        validateDoc(doc);
      } catch (err) {
        error = err;
      }
      expect(isConversionError(error, 'SCHEMA_INVALID'), JSON.stringify(doc)).toBe(true);
    }
  });

  it('renders atoms as labelled non-editable chips and parses them back', () => {
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'atomBlock',
          attrs: { kind: 'equation', label: 'x²', source: 'docx', payload: '<m:oMath a="1"/>' },
        },
        {
          type: 'paragraph',
          attrs: { blockStyle: 'subtitle' },
          content: [
            { type: 'text', text: 'see ' },
            {
              type: 'atomInline',
              attrs: { kind: 'footnote', label: '[1]', source: 'gdocs', payload: '{"a":"<b>"}' },
            },
          ],
        },
      ],
    };
    const html = generateHTML(doc, extensions);
    expect(html).toContain('<div');
    expect(html).toContain('data-atom-kind="equation"');
    expect(html).toContain('contenteditable="false"');
    expect(html).toContain('>[1]</span>');
    expect(html).toContain('data-block-style="subtitle"');
    expect(canonicalDoc(generateJSON(html, extensions))).toEqual(canonicalDoc(doc));
  });
});
