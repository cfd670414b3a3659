/**
 * Google's bullet presets and the list each one makes (nine nesting levels with glyph symbols or glyph
 * types): what createParagraphBullets creates in a document, and what the `.gdoc.json` writer puts in
 * `lists` so a written document reads back exactly as one built by the API.
 */
import type { docs_v1 } from '@googleapis/docs';

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
export function listForPreset(preset: string): docs_v1.Schema$List {
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
