/**
 * createParagraphBullets and deleteParagraphBullets. Creating bullets makes a new list from a preset (its
 * nine nesting levels with glyph symbols or glyph types), takes each paragraph's nesting level from its
 * leading tabs and removes them; deleting bullets keeps the visual indent by adding it to the paragraph.
 */

import { BULLET_PRESET_NAMES, listForPreset } from '../../../../connectors/google/convert/listPresets.ts';
import { invalid } from './errors.ts';
import { type Ctx, checkRange, paragraphsOverlapping } from './locate.ts';
import { type Bullet, type CharUnit, randomId, startOf } from './model.ts';
import { leadingTabs } from './textRequests.ts';

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
    const indent = levelProps?.indentStart ?? { magnitude: 36 + 36 * level, unit: 'PT' };
    const paragraphStyle = { ...rest.paragraphStyle, indentStart: indent, indentFirstLine: indent };
    units[nl] = { ...u, pp: { ...rest, paragraphStyle } };
  }
}
