/**
 * createParagraphBullets and deleteParagraphBullets. Creating bullets makes a new list from a preset (its
 * nine nesting levels with glyph symbols or glyph types), takes each paragraph's nesting level from its
 * leading tabs and removes them; deleting bullets keeps the visual indent by adding it to the paragraph.
 */
import { invalid } from './errors.ts';
import { type Ctx, checkRange, paragraphsOverlapping } from './locate.ts';
import { type Bullet, type CharUnit, type List, randomId, startOf } from './model.ts';
import { leadingTabs } from './textRequests.ts';

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

const BULLET_PRESETS: Record<string, readonly string[]> = {
  BULLET_DISC_CIRCLE_SQUARE: ['\u25cf', '\u25cb', '\u25a0'],
  BULLET_DIAMONDX_ARROW3D_SQUARE: ['\u2756', '\u27a2', '\u25a0'],
  BULLET_CHECKBOX: ['\u2610'],
  BULLET_ARROW_DIAMOND_DISC: ['\u2794', '\u25c6', '\u25cf'],
  BULLET_STAR_CIRCLE_SQUARE: ['\u2605', '\u25cb', '\u25a0'],
  BULLET_ARROW3D_CIRCLE_SQUARE: ['\u27a2', '\u25cb', '\u25a0'],
  BULLET_LEFTTRIANGLE_DIAMOND_DISC: ['\u25c4', '\u25c6', '\u25cf'],
  BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE: ['\u2756', '\u25c7', '\u25a0'],
  BULLET_DIAMOND_CIRCLE_SQUARE: ['\u25c6', '\u25cb', '\u25a0'],
};

const NUMBERED_PRESETS: Record<string, { types: readonly string[]; format: (level: number) => string }> = {
  NUMBERED_DECIMAL_ALPHA_ROMAN: { types: ['DECIMAL', 'ALPHA', 'ROMAN'], format: (l) => `%${l}.` },
  NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS: { types: ['DECIMAL', 'ALPHA', 'ROMAN'], format: (l) => `%${l})` },
  NUMBERED_DECIMAL_NESTED: {
    types: ['DECIMAL'],
    format: (l) => Array.from({ length: l + 1 }, (_, i) => `%${i}.`).join(''),
  },
  NUMBERED_UPPERALPHA_ALPHA_ROMAN: { types: ['UPPER_ALPHA', 'ALPHA', 'ROMAN'], format: (l) => `%${l}.` },
  NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL: {
    types: ['UPPER_ROMAN', 'UPPER_ALPHA', 'DECIMAL'],
    format: (l) => `%${l}.`,
  },
  NUMBERED_ZERODECIMAL_ALPHA_ROMAN: { types: ['ZERO_DECIMAL', 'ALPHA', 'ROMAN'], format: (l) => `%${l}.` },
};

/** The preset names createParagraphBullets accepts. */
export const BULLET_PRESET_NAMES = [...Object.keys(BULLET_PRESETS), ...Object.keys(NUMBERED_PRESETS)];

/** The list Google creates for a preset: nine nesting levels. */
export function listForPreset(preset: string): List {
  const nestingLevels = Array.from({ length: 9 }, (_, level) => {
    const base = {
      bulletAlignment: 'START',
      indentFirstLine: pt(18 + 36 * level),
      indentStart: pt(36 + 36 * level),
      textStyle: { underline: false },
      startNumber: 1,
    };
    const symbols = BULLET_PRESETS[preset];
    if (symbols) return { ...base, glyphSymbol: symbols[level % symbols.length], glyphFormat: `%${level}` };
    const numbered = NUMBERED_PRESETS[preset]!;
    return {
      ...base,
      glyphType: numbered.types[level % numbered.types.length],
      glyphFormat: numbered.format(level),
    };
  });
  return { listProperties: { nestingLevels } };
}

/** createParagraphBullets. */
export function createParagraphBullets(
  ctx: Ctx,
  req: { range?: { startIndex: number; endIndex: number; segmentId?: string }; bulletPreset?: string },
): void {
  if (!req.range) invalid('A range must be specified.');
  const preset = req.bulletPreset ?? '';
  if (!BULLET_PRESET_NAMES.includes(preset)) invalid(`Unknown bulletPreset "${preset}".`);
  const { s, e, starts } = checkRange(ctx.doc, req.range);
  const listId = `kix.${randomId(12)}`;
  const list = listForPreset(preset);
  ctx.doc.lists[listId] = list;
  const newlines = paragraphsOverlapping(ctx.doc, s, e, starts);
  const units = ctx.doc.units;
  // Last paragraph first so that removing tabs does not move the paragraphs still to do.
  for (let i = newlines.length - 1; i >= 0; i--) {
    const nlBefore = newlines[i]!;
    const { first, count } = leadingTabs(units, nlBefore);
    const tabs = Math.min(count, nlBefore - first);
    const level = Math.min(tabs, 8);
    if (tabs > 0) {
      const at = startOf(units, first);
      units.splice(first, tabs);
      ctx.ops.push({ t: 'del', s: at, e: at + tabs });
    }
    const nl = nlBefore - tabs;
    const u = units[nl] as CharUnit;
    const pp = u.pp ?? { paragraphStyle: { namedStyleType: 'NORMAL_TEXT' } };
    const bullet: Bullet = { listId, textStyle: { underline: false } };
    if (level > 0) bullet.nestingLevel = level;
    const levelProps = list.listProperties?.nestingLevels?.[level];
    const paragraphStyle = {
      ...pp.paragraphStyle,
      indentFirstLine: levelProps?.indentFirstLine,
      indentStart: levelProps?.indentStart,
    };
    units[nl] = { ...u, pp: { ...pp, paragraphStyle, bullet } };
  }
}

/** deleteParagraphBullets. */
export function deleteParagraphBullets(
  ctx: Ctx,
  req: { range?: { startIndex: number; endIndex: number; segmentId?: string } },
): void {
  if (!req.range) invalid('A range must be specified.');
  const { s, e, starts } = checkRange(ctx.doc, req.range);
  const units = ctx.doc.units;
  for (const nl of paragraphsOverlapping(ctx.doc, s, e, starts)) {
    const u = units[nl] as CharUnit;
    if (!u.pp?.bullet) continue;
    const { bullet, ...rest } = u.pp;
    const level = bullet.nestingLevel ?? 0;
    const levelProps = ctx.doc.lists[bullet.listId ?? '']?.listProperties?.nestingLevels?.[level];
    const indent = levelProps?.indentStart ?? pt(36 + 36 * level);
    const paragraphStyle = { ...rest.paragraphStyle, indentStart: indent, indentFirstLine: indent };
    units[nl] = { ...u, pp: { ...rest, paragraphStyle } };
  }
}
