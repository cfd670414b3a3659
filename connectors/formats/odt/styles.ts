/**
 * ODF styles used by the ODF writer: the fixed `styles.xml` (named styles whose names LibreOffice uses too,
 * so documents look native and LibreOffice documents read back with the same meaning) and the automatic
 * styles of `content.xml`, created on demand while writing.
 */
import { escapeXmlAttr } from '../safeXml.ts';
import { NS_DECLARATIONS } from './namespaces.ts';

/** Named paragraph styles the writer uses and the reader recognises (ODF encodes spaces as `_20_`). */
export const PARAGRAPH_STYLES = {
  standard: 'Standard',
  heading: (level: number) => `Heading_20_${level}`,
  title: 'Title',
  subtitle: 'Subtitle',
  quotations: 'Quotations',
  preformatted: 'Preformatted_20_Text',
  horizontalLine: 'Horizontal_20_Line',
  tableContents: 'Table_20_Contents',
  tableHeading: 'Table_20_Heading',
  footnote: 'Footnote',
  endnote: 'Endnote',
} as const;

/** Named text styles the writer uses and the reader recognises. */
export const TEXT_STYLES = { sourceText: 'Source_20_Text', internetLink: 'Internet_20_link' } as const;

/** Automatic style names with a fixed meaning for the reader. */
export const AUTO_STYLES = { quoteSection: 'DocbridgeQuote', headerCell: 'DocbridgeHeaderCell' } as const;

/** Name prefix of the sections that hold a blockquote. */
export const QUOTE_SECTION_PREFIX = 'Quotation';

const MONO =
  'style:font-name="Liberation Mono" fo:font-family="\'Liberation Mono\'" style:font-family-generic="modern" style:font-pitch="fixed"';

function heading(level: number): string {
  const sizes = ['130%', '115%', '101%', '95%', '85%', '85%'];
  return (
    `<style:style style:name="Heading_20_${level}" style:display-name="Heading ${level}" style:family="paragraph" ` +
    `style:parent-style-name="Heading" style:next-style-name="Standard" style:default-outline-level="${level}" ` +
    `style:class="text"><style:text-properties fo:font-size="${sizes[level - 1]}" fo:font-weight="bold"/></style:style>`
  );
}

/** The complete `styles.xml` part. */
export function stylesXml(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-styles ${NS_DECLARATIONS} office:version="1.3">` +
    '<office:font-face-decls>' +
    '<style:font-face style:name="Liberation Serif" svg:font-family="\'Liberation Serif\'" style:font-family-generic="roman" style:font-pitch="variable"/>' +
    '<style:font-face style:name="Liberation Sans" svg:font-family="\'Liberation Sans\'" style:font-family-generic="swiss" style:font-pitch="variable"/>' +
    '<style:font-face style:name="Liberation Mono" svg:font-family="\'Liberation Mono\'" style:font-family-generic="modern" style:font-pitch="fixed"/>' +
    '</office:font-face-decls><office:styles>' +
    '<style:default-style style:family="paragraph"><style:paragraph-properties style:writing-mode="page"/>' +
    '<style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt" fo:language="en" fo:country="US"/></style:default-style>' +
    '<style:style style:name="Standard" style:family="paragraph" style:class="text">' +
    '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.247cm"/></style:style>' +
    '<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Standard" style:class="text">' +
    '<style:paragraph-properties fo:margin-top="0.423cm" fo:margin-bottom="0.212cm" fo:keep-with-next="always"/>' +
    '<style:text-properties style:font-name="Liberation Sans" fo:font-size="14pt"/></style:style>' +
    [1, 2, 3, 4, 5, 6].map(heading).join('') +
    '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Subtitle" style:class="chapter">' +
    '<style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="28pt" fo:font-weight="bold"/></style:style>' +
    '<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Standard" style:class="chapter">' +
    '<style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="18pt"/></style:style>' +
    '<style:style style:name="Quotations" style:family="paragraph" style:parent-style-name="Standard" style:class="html">' +
    '<style:paragraph-properties fo:margin-left="1cm" fo:margin-right="1cm"/></style:style>' +
    '<style:style style:name="Preformatted_20_Text" style:display-name="Preformatted Text" style:family="paragraph" style:parent-style-name="Standard" style:class="html">' +
    `<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.247cm"/><style:text-properties ${MONO} fo:font-size="10pt"/></style:style>` +
    '<style:style style:name="Horizontal_20_Line" style:display-name="Horizontal Line" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Standard" style:class="html">' +
    '<style:paragraph-properties fo:margin-bottom="0.5cm" fo:border-bottom="0.5pt solid #808080" fo:padding="0cm"/><style:text-properties fo:font-size="6pt"/></style:style>' +
    '<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">' +
    '<style:paragraph-properties fo:margin-left="0.5cm" fo:text-indent="-0.5cm"/><style:text-properties fo:font-size="10pt"/></style:style>' +
    '<style:style style:name="Endnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">' +
    '<style:paragraph-properties fo:margin-left="0.5cm" fo:text-indent="-0.5cm"/><style:text-properties fo:font-size="10pt"/></style:style>' +
    '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>' +
    '<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">' +
    '<style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-weight="bold"/></style:style>' +
    `<style:style style:name="Source_20_Text" style:display-name="Source Text" style:family="text"><style:text-properties ${MONO}/></style:style>` +
    '<style:style style:name="Internet_20_link" style:display-name="Internet link" style:family="text">' +
    '<style:text-properties fo:color="#000080" style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>' +
    '</office:styles><office:automatic-styles>' +
    '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21.001cm" fo:page-height="29.7cm" ' +
    'style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>' +
    '</office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/>' +
    '</office:master-styles></office:document-styles>'
  );
}

/** Text properties for each mark the writer expresses with automatic text styles. */
const MARK_PROPERTIES: Record<string, string> = {
  bold: 'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"',
  italic: 'fo:font-style="italic" style:font-style-asian="italic" style:font-style-complex="italic"',
  underline:
    'style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"',
  strike: 'style:text-line-through-style="solid" style:text-line-through-type="single"',
};

/** Collects the automatic styles of `content.xml` while the writer runs. */
export class AutomaticStyles {
  private readonly textStyles = new Map<string, string>();
  private readonly listStyles = new Map<string, string>();
  private readonly extra: string[] = [];
  private readonly breakStyles = new Map<string, string>();
  private tableCount = 0;

  /**
   * `prefix` starts every generated style name, so styles written into an existing content.xml never clash
   * with its own; `existing` is that content.xml, whose fixed Docbridge styles are then not declared twice.
   */
  constructor(
    private readonly prefix = '',
    private readonly existing = '',
  ) {}

  /** The automatic text style for a combination of bold/italic/underline/strike (sorted names). */
  textStyle(marks: string[]): string {
    const key = marks.join('+');
    let name = this.textStyles.get(key);
    if (!name) {
      name = `${this.prefix}T${this.textStyles.size + 1}`;
      this.textStyles.set(key, name);
    }
    return name;
  }

  /** An automatic paragraph style: `parent` with a page break before and/or after the paragraph. */
  pageBreakStyle(parent: string, before: boolean, after: boolean): string {
    const key = `${parent}|${before}|${after}`;
    let name = this.breakStyles.get(key);
    if (!name) {
      name = `${this.prefix}PB${this.breakStyles.size + 1}`;
      this.breakStyles.set(key, name);
      const props = `${before ? ' fo:break-before="page"' : ''}${after ? ' fo:break-after="page"' : ''}`;
      this.extra.push(
        `<style:style style:name="${name}" style:family="paragraph" style:parent-style-name="${escapeXmlAttr(parent)}"><style:paragraph-properties${props}/></style:style>`,
      );
    }
    return name;
  }

  /** The list style for bullets, or numbers in `format` (`1`, `a`, `A`, `i`, `I`). */
  listStyle(ordered: boolean, format: string): string {
    const key = ordered ? `N${format}` : 'B';
    let name = this.listStyles.get(key);
    if (!name) {
      name = `${this.prefix}L${this.listStyles.size + 1}`;
      this.listStyles.set(key, name);
    }
    return name;
  }

  /** A table style and its column styles for the given widths in pixels (96 per inch); returns the names. */
  tableStyles(widthsPx: number[] | null): { table: string; columns: string[] | null } {
    this.tableCount += 1;
    const table = `${this.prefix}Table${this.tableCount}`;
    if (!widthsPx) return { table, columns: null };
    const inches = (px: number) => `${(px / 96).toFixed(4)}in`;
    const total = widthsPx.reduce((a, b) => a + b, 0);
    this.extra.push(
      `<style:style style:name="${table}" style:family="table"><style:table-properties style:width="${inches(total)}" table:align="left"/></style:style>`,
    );
    const columns = widthsPx.map((px, i) => {
      const name = `${table}.C${i + 1}`;
      this.extra.push(
        `<style:style style:name="${name}" style:family="table-column"><style:table-column-properties style:column-width="${inches(px)}"/></style:style>`,
      );
      return name;
    });
    return { table, columns };
  }

  /** The `office:automatic-styles` element. */
  toXml(): string {
    return `<office:automatic-styles>${this.declarations()}</office:automatic-styles>`;
  }

  /** The style declarations alone (fixed ones the existing content.xml already declares left out). */
  declarations(): string {
    const text = [...this.textStyles].map(([key, name]) => {
      const props = key
        .split('+')
        .map((m) => MARK_PROPERTIES[m] ?? '')
        .join(' ');
      return `<style:style style:name="${name}" style:family="text"><style:text-properties ${props}/></style:style>`;
    });
    const lists = [...this.listStyles].map(([key, name]) => listStyleXml(name, key));
    const fixed = [
      `<style:style style:name="${AUTO_STYLES.quoteSection}" style:family="section"><style:section-properties fo:margin-left="1cm" fo:margin-right="0cm" style:editable="false"/></style:style>`,
      `<style:style style:name="${AUTO_STYLES.headerCell}" style:family="table-cell"><style:table-cell-properties fo:background-color="#eeeeee" fo:padding="0.097cm" fo:border="0.5pt solid #000000"/></style:style>`,
      '<style:style style:name="DocbridgeCell" style:family="table-cell"><style:table-cell-properties fo:padding="0.097cm" fo:border="0.5pt solid #000000"/></style:style>',
      '<style:style style:name="DocbridgeImage" style:family="graphic"><style:graphic-properties style:vertical-pos="top" style:vertical-rel="baseline"/></style:style>',
    ]
      .filter((style) => !this.existing.includes(style.slice(0, style.indexOf(' style:family'))))
      .join('');
    return `${fixed}${text.join('')}${lists.join('')}${this.extra.join('')}`;
  }
}

function listStyleXml(name: string, key: string): string {
  const levels: string[] = [];
  for (let level = 1; level <= 10; level += 1) {
    const indent = `<style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="${(0.635 * (level + 1)).toFixed(3)}cm"/></style:list-level-properties>`;
    if (key === 'B') {
      levels.push(
        `<text:list-level-style-bullet text:level="${level}" text:bullet-char="•">${indent}</text:list-level-style-bullet>`,
      );
    } else {
      const format = escapeXmlAttr(key.slice(1));
      levels.push(
        `<text:list-level-style-number text:level="${level}" style:num-suffix="." style:num-format="${format}">${indent}</text:list-level-style-number>`,
      );
    }
  }
  return `<text:list-style style:name="${name}">${levels.join('')}</text:list-style>`;
}
