/**
 * zod schemas for the request kinds the engine implements: the edge validation of batchUpdate bodies.
 * Objects are strict because Google rejects unknown field names; style objects are checked field by field
 * by the handlers (through the `fields` mask).
 */
import { z } from 'zod';

const index = z.number().int();
const ids = { segmentId: z.string().optional(), tabId: z.string().optional() };
const location = z.strictObject({ index, ...ids });
const endOfSegmentLocation = z.strictObject(ids);
const range = z.strictObject({ startIndex: index, endIndex: index, ...ids });
const styleObject = z.record(z.string(), z.unknown());
const cellLocation = z.strictObject({
  tableStartLocation: location,
  rowIndex: z.number().int().min(0).optional(),
  columnIndex: z.number().int().min(0).optional(),
});
const dimension = z.strictObject({ magnitude: z.number().optional(), unit: z.string().optional() });

/** One schema per supported request kind (the key is the request's field name). */
export const requestSchemas = {
  insertText: z.strictObject({
    text: z.string().optional(),
    location: location.optional(),
    endOfSegmentLocation: endOfSegmentLocation.optional(),
  }),
  deleteContentRange: z.strictObject({ range: range.optional() }),
  updateTextStyle: z.strictObject({
    range: range.optional(),
    textStyle: styleObject.optional(),
    fields: z.string().optional(),
  }),
  updateParagraphStyle: z.strictObject({
    range: range.optional(),
    paragraphStyle: styleObject.optional(),
    fields: z.string().optional(),
  }),
  createParagraphBullets: z.strictObject({ range: range.optional(), bulletPreset: z.string().optional() }),
  deleteParagraphBullets: z.strictObject({ range: range.optional() }),
  insertTable: z.strictObject({
    rows: z.number().int().optional(),
    columns: z.number().int().optional(),
    location: location.optional(),
    endOfSegmentLocation: endOfSegmentLocation.optional(),
  }),
  insertTableRow: z.strictObject({
    tableCellLocation: cellLocation.optional(),
    insertBelow: z.boolean().optional(),
  }),
  deleteTableRow: z.strictObject({ tableCellLocation: cellLocation.optional() }),
  insertInlineImage: z.strictObject({
    uri: z.string().optional(),
    objectSize: z.strictObject({ height: dimension.optional(), width: dimension.optional() }).optional(),
    location: location.optional(),
    endOfSegmentLocation: endOfSegmentLocation.optional(),
  }),
  createFootnote: z.strictObject({
    location: location.optional(),
    endOfSegmentLocation: endOfSegmentLocation.optional(),
  }),
  insertPageBreak: z.strictObject({
    location: location.optional(),
    endOfSegmentLocation: endOfSegmentLocation.optional(),
  }),
  pinTableHeaderRows: z.strictObject({
    tableStartLocation: location.optional(),
    pinnedHeaderRowsCount: z.number().int().optional(),
  }),
  replaceAllText: z.strictObject({
    containsText: z
      .strictObject({
        text: z.string().optional(),
        matchCase: z.boolean().optional(),
        searchByRegex: z.boolean().optional(),
      })
      .optional(),
    replaceText: z.string().optional(),
    tabsCriteria: z.unknown().optional(),
  }),
} as const;

/** The request kinds the engine implements. */
export type RequestKind = keyof typeof requestSchemas;

/** Request kinds that exist in the Docs API but that the engine does not implement. */
export const UNSUPPORTED_KINDS = [
  'createNamedRange',
  'deleteNamedRange',
  'insertTableColumn',
  'deleteTableColumn',
  'deletePositionedObject',
  'updateTableColumnProperties',
  'updateTableCellStyle',
  'updateTableRowStyle',
  'replaceImage',
  'updateDocumentStyle',
  'mergeTableCells',
  'unmergeTableCells',
  'createHeader',
  'createFooter',
  'replaceNamedRangeContent',
  'updateSectionStyle',
  'insertSectionBreak',
  'deleteHeader',
  'deleteFooter',
  'insertPerson',
  'insertDate',
  'insertRichLink',
];
