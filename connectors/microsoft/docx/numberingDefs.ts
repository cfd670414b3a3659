/**
 * What the converter needs of `numbering.xml`: for a paragraph's `numId` and `ilvl`, whether the list is
 * bulleted or numbered, its number format and its start value (with `w:num` level overrides applied).
 */
import { child, elements, type XmlDocument, type XmlElement } from './xmlTree.ts';

/** One resolved list level. */
export interface ListLevel {
  /** `bullet`, `decimal`, `lowerLetter`, `upperRoman`, `none`... */
  format: string;
  start: number;
}

function readLevels(abstract: XmlElement): Map<number, ListLevel> {
  const levels = new Map<number, ListLevel>();
  for (const lvl of elements(abstract, 'w:lvl')) {
    const ilvl = Number(lvl.attrs['w:ilvl'] ?? 0);
    levels.set(ilvl, {
      format: child(lvl, 'w:numFmt')?.attrs['w:val'] ?? 'decimal',
      start: Number(child(lvl, 'w:start')?.attrs['w:val'] ?? 1) || 0,
    });
  }
  return levels;
}

/** The numbering definitions of one package (an absent part defines nothing). */
export class NumberingDefs {
  private readonly abstracts = new Map<string, Map<number, ListLevel>>();
  private readonly nums = new Map<
    string,
    { abstractId: string; overrides: Map<number, Partial<ListLevel>> }
  >();
  readonly doc: XmlDocument | undefined;

  constructor(doc: XmlDocument | undefined) {
    this.doc = doc;
    if (!doc) return;
    for (const a of elements(doc.root, 'w:abstractNum')) {
      this.abstracts.set(a.attrs['w:abstractNumId'] ?? '', readLevels(a));
    }
    for (const n of elements(doc.root, 'w:num')) {
      const overrides = new Map<number, Partial<ListLevel>>();
      for (const o of elements(n, 'w:lvlOverride')) {
        const ilvl = Number(o.attrs['w:ilvl'] ?? 0);
        const ov: Partial<ListLevel> = {};
        const start = child(o, 'w:startOverride')?.attrs['w:val'];
        if (start !== undefined) ov.start = Number(start) || 0;
        const lvl = child(o, 'w:lvl');
        if (lvl) {
          const fmt = child(lvl, 'w:numFmt')?.attrs['w:val'];
          if (fmt) ov.format = fmt;
          const s = child(lvl, 'w:start')?.attrs['w:val'];
          if (s !== undefined && ov.start === undefined) ov.start = Number(s) || 0;
        }
        overrides.set(ilvl, ov);
      }
      this.nums.set(n.attrs['w:numId'] ?? '', {
        abstractId: child(n, 'w:abstractNumId')?.attrs['w:val'] ?? '',
        overrides,
      });
    }
  }

  /** The level definition for `numId`/`ilvl`, or undefined when the list does not exist. */
  level(numId: string, ilvl: number): ListLevel | undefined {
    const num = this.nums.get(numId);
    if (!num) return undefined;
    const base = this.abstracts.get(num.abstractId)?.get(ilvl) ?? { format: 'decimal', start: 1 };
    return { ...base, ...num.overrides.get(ilvl) };
  }

  /** Highest numeric `w:numId` and `w:abstractNumId` in use, so new definitions do not collide. */
  maxIds(): { num: number; abstract: number } {
    const max = (keys: Iterable<string>) => {
      let m = 0;
      for (const k of keys) m = Math.max(m, Number(k) || 0);
      return m;
    };
    return { num: max(this.nums.keys()), abstract: max(this.abstracts.keys()) };
  }
}

/** The orderedList `type` attribute for a numbering format (null = decimal). */
export function orderedTypeOf(format: string): string | null {
  switch (format) {
    case 'lowerLetter':
      return 'a';
    case 'upperLetter':
      return 'A';
    case 'lowerRoman':
      return 'i';
    case 'upperRoman':
      return 'I';
    default:
      return null;
  }
}

/** True when the format draws a bullet (or nothing) rather than a number. */
export function isBulletFormat(format: string): boolean {
  return format === 'bullet' || format === 'none';
}
