/** A realistic Google document with content the API cannot create, built through the engine. */
import type { docs_v1 } from '@googleapis/docs';
import { createDocument, reindexDocument } from '../../emulators/google/engine/index.ts';

const run = (content: string, textStyle: docs_v1.Schema$TextStyle = {}) => ({
  textRun: { content, textStyle },
});

export function richDocument(withSectionBreak = false): docs_v1.Schema$Document {
  const blank = createDocument('Atoms');
  return reindexDocument({
    ...blank,
    footnotes: {
      'kix.fn1': { footnoteId: 'kix.fn1', content: [{ paragraph: { elements: [run(' A note.\n')] } }] },
    },
    body: {
      content: [
        blank.body!.content![0]!,
        { paragraph: { elements: [run('Intro\n')], paragraphStyle: { namedStyleType: 'HEADING_1' } } },
        { tableOfContents: { content: [{ paragraph: { elements: [run('Intro\n')] } }] } },
        {
          paragraph: {
            elements: [
              run('Energy '),
              { startIndex: 0, endIndex: 3, equation: {} },
              run(' is conserved'),
              { footnoteReference: { footnoteId: 'kix.fn1', footnoteNumber: '1', textStyle: {} } },
              run(' here'),
              { textRun: { content: ' maybe', textStyle: {}, suggestedInsertionIds: ['suggest.1'] } },
              run('.\n'),
            ],
            paragraphStyle: { namedStyleType: 'NORMAL_TEXT' },
          },
        },
        {
          paragraph: {
            elements: [run('Last paragraph.\n')],
            paragraphStyle: { namedStyleType: 'NORMAL_TEXT' },
          },
        },
        ...(withSectionBreak
          ? [
              { sectionBreak: { sectionStyle: { sectionType: 'NEXT_PAGE' } } },
              {
                paragraph: {
                  elements: [run('Next section.\n')],
                  paragraphStyle: { namedStyleType: 'NORMAL_TEXT' },
                },
              },
            ]
          : []),
      ],
    },
  });
}
