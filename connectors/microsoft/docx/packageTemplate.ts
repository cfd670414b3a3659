/**
 * The parts of a brand-new package (written when there is no original to patch) and the style and list
 * definitions the writer adds to an existing package when it needs a role the package lacks. Kept minimal
 * and schema-valid so Word and LibreOffice open the result without repair.
 */

import { escapeXmlAttr } from '../../formats/safeXml.ts';
import { standardDocumentNamespaces } from './ooxmlNames.ts';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** Writer roles that need a named style. */
export type StyleRole =
  | 'heading1'
  | 'heading2'
  | 'heading3'
  | 'heading4'
  | 'heading5'
  | 'heading6'
  | 'title'
  | 'subtitle'
  | 'quote'
  | 'code'
  | 'listParagraph'
  | 'hyperlink'
  | 'tableGrid';

/** For each role: the style names that already satisfy it in a package, and our definition's id and body. */
export const styleRoles: Record<StyleRole, { names: string[]; id: string; type: string; body: string }> = {
  heading1: heading(1, 32),
  heading2: heading(2, 28),
  heading3: heading(3, 26),
  heading4: heading(4, 24),
  heading5: heading(5, 22),
  heading6: heading(6, 22),
  title: {
    names: ['title'],
    id: 'Title',
    type: 'paragraph',
    body: '<w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="120"/></w:pPr><w:rPr><w:sz w:val="56"/><w:szCs w:val="56"/></w:rPr>',
  },
  subtitle: {
    names: ['subtitle'],
    id: 'Subtitle',
    type: 'paragraph',
    body: '<w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="5A5A5A"/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr>',
  },
  quote: {
    names: ['quote', 'intense quote', 'block text'],
    id: 'Quote',
    type: 'paragraph',
    body: '<w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="720" w:right="720"/></w:pPr><w:rPr><w:i/></w:rPr>',
  },
  code: {
    names: ['source code', 'html preformatted', 'code', 'code block', 'preformatted text'],
    id: 'SourceCode',
    type: 'paragraph',
    body: '<w:name w:val="Source Code"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/><w:sz w:val="20"/></w:rPr>',
  },
  listParagraph: {
    names: ['list paragraph'],
    id: 'ListParagraph',
    type: 'paragraph',
    body: '<w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr>',
  },
  hyperlink: {
    names: ['hyperlink'],
    id: 'Hyperlink',
    type: 'character',
    body: '<w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>',
  },
  tableGrid: {
    names: ['table grid'],
    id: 'TableGrid',
    type: 'table',
    body: '<w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr>',
  },
};

function heading(level: number, size: number): { names: string[]; id: string; type: string; body: string } {
  return {
    names: [`heading ${level}`],
    id: `Heading${level}`,
    type: 'paragraph',
    body: `<w:name w:val="heading ${level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60"/><w:outlineLvl w:val="${level - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr>`,
  };
}

/** One `w:style` element. */
export function styleXml(role: StyleRole, id: string): string {
  const r = styleRoles[role];
  return `<w:style w:type="${r.type}" w:styleId="${escapeXmlAttr(id)}">${r.body}</w:style>`;
}

/** A complete styles.xml with Normal and every role. */
export function stylesPartXml(): string {
  const roles = Object.keys(styleRoles) as StyleRole[];
  return `${XML_DECL}<w:styles xmlns:w="${W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>${roles.map((r) => styleXml(r, styleRoles[r].id)).join('')}</w:styles>`;
}

const bulletChars = ['\u2022', '\u25e6', '\u25aa'];

/** An abstractNum with nine levels; `formats[i]` is level i's numFmt and `starts[i]` its start value. */
export function abstractNumXml(id: number, formats: string[], starts: number[]): string {
  let levels = '';
  for (let i = 0; i < 9; i++) {
    const fmt = formats[i] ?? formats[formats.length - 1] ?? 'bullet';
    const text = fmt === 'bullet' ? (bulletChars[i % 3] as string) : `%${i + 1}.`;
    const font = fmt === 'bullet' ? '<w:rPr><w:rFonts w:hint="default"/></w:rPr>' : '';
    levels += `<w:lvl w:ilvl="${i}"><w:start w:val="${starts[i] ?? 1}"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="${720 * (i + 1)}" w:hanging="360"/></w:pPr>${font}</w:lvl>`;
  }
  return `<w:abstractNum w:abstractNumId="${id}"><w:multiLevelType w:val="hybridMultilevel"/>${levels}</w:abstractNum>`;
}

/** A `w:num` instance. */
export function numXml(numId: number, abstractId: number): string {
  return `<w:num w:numId="${numId}"><w:abstractNumId w:val="${abstractId}"/></w:num>`;
}

/** An empty numbering.xml to which definitions are appended. */
export function numberingPartXml(body: string): string {
  return `${XML_DECL}<w:numbering xmlns:w="${W}">${body}</w:numbering>`;
}

/** Head of a new document.xml, through `<w:body>`. */
export function documentHead(): string {
  const decls = Object.entries(standardDocumentNamespaces)
    .map(([p, u]) => ` xmlns:${p}="${u}"`)
    .join('');
  return `${XML_DECL}<w:document${decls} mc:Ignorable="w14 w15 wp14"><w:body>`;
}

/** Tail of a new document.xml: A4 page, 2.54 cm margins. */
export function documentTail(): string {
  return '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr></w:body></w:document>';
}

/** Minimal settings.xml. */
export function settingsPartXml(): string {
  return `${XML_DECL}<w:settings xmlns:w="${W}"><w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`;
}

/** Core properties (Dublin Core) with a fixed creation date so output is deterministic. */
export function corePartXml(): string {
  return `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Docbridge</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>`;
}

/** Extended (app) properties. */
export function appPartXml(): string {
  return `${XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Docbridge</Application></Properties>`;
}

/** Content types of a new package (more defaults/overrides are added as parts are). */
export function contentTypesXml(): string {
  return `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
}

/** Content types of the parts the writer may add to a package. */
export const partContentTypes: Record<string, string> = {
  styles: 'application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml',
  numbering: 'application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml',
};
