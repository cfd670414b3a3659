/**
 * A brand-new Google Doc as documents.create / documents.get return it: one section break, one empty
 * NORMAL_TEXT paragraph at [1, 2), Google's default document style and named styles. The `.gdoc.json`
 * writer starts from it, and so does the emulator's documents.create.
 */
import type { docs_v1 } from '@googleapis/docs';

type Document = docs_v1.Schema$Document;

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

function namedStyle(namedStyleType: string, fontSize: number, spaceAbove: number, spaceBelow: number) {
  return {
    namedStyleType,
    textStyle: namedStyleType === 'NORMAL_TEXT' ? defaultNormalText() : { fontSize: pt(fontSize) },
    paragraphStyle: {
      namedStyleType,
      direction: 'LEFT_TO_RIGHT',
      spaceAbove: pt(spaceAbove),
      spaceBelow: pt(spaceBelow),
      keepLinesTogether: namedStyleType !== 'NORMAL_TEXT',
      keepWithNext: namedStyleType !== 'NORMAL_TEXT',
    },
  };
}

function defaultNormalText() {
  return {
    bold: false,
    italic: false,
    underline: false,
    strikethrough: false,
    smallCaps: false,
    fontSize: pt(11),
    weightedFontFamily: { fontFamily: 'Arial', weight: 400 },
    baselineOffset: 'NONE',
    foregroundColor: { color: { rgbColor: {} } },
    backgroundColor: {},
  };
}

/** Google's default named styles (values as the editor's defaults; only the types matter to Docbridge). */
function defaultNamedStyles(): Document['namedStyles'] {
  return {
    styles: [
      namedStyle('NORMAL_TEXT', 11, 0, 0),
      namedStyle('HEADING_1', 20, 20, 6),
      namedStyle('HEADING_2', 16, 18, 6),
      namedStyle('HEADING_3', 14, 16, 4),
      namedStyle('HEADING_4', 12, 14, 4),
      namedStyle('HEADING_5', 11, 12, 4),
      namedStyle('HEADING_6', 11, 12, 4),
      namedStyle('TITLE', 26, 0, 3),
      namedStyle('SUBTITLE', 15, 0, 16),
    ],
  };
}

/** An empty document with the given title, id and revision, as Google returns it right after documents.create. */
export function blankDocument(title: string, documentId: string, revisionId: string): Document {
  return {
    title,
    documentId,
    body: {
      content: [
        {
          endIndex: 1,
          sectionBreak: {
            sectionStyle: {
              columnSeparatorStyle: 'NONE',
              contentDirection: 'LEFT_TO_RIGHT',
              sectionType: 'CONTINUOUS',
            },
          },
        },
        {
          startIndex: 1,
          endIndex: 2,
          paragraph: {
            elements: [{ startIndex: 1, endIndex: 2, textRun: { content: '\n', textStyle: {} } }],
            paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' },
          },
        },
      ],
    },
    documentStyle: {
      background: { color: {} },
      pageNumberStart: 1,
      marginTop: pt(72),
      marginBottom: pt(72),
      marginRight: pt(72),
      marginLeft: pt(72),
      pageSize: { height: pt(792), width: pt(612) },
      marginHeader: pt(36),
      marginFooter: pt(36),
      useCustomHeaderFooterMargins: true,
    },
    namedStyles: defaultNamedStyles(),
    revisionId,
    suggestionsViewMode: 'SUGGESTIONS_INLINE',
  };
}
