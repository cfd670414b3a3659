/**
 * Index transformation for writeControl.targetRevisionId: requests written against an older revision are
 * mapped over the index edits collaborators made since (and over the batch's own earlier requests), the
 * way an operational-transform server rebases a late client. Inserts at the same index as a collaborator's
 * go after theirs; a range that collaborators deleted entirely vanishes (its request is skipped). Each segment
 * (the body, each footnote) has its own indices: an op moves only positions of its own segment.
 */
import type { PrimitiveOp } from './locate.ts';

/** Which side of an insertion at the same index a position sticks to. */
export type Bias = 'left' | 'right';

function through(op: PrimitiveOp, p: number, bias: Bias, seg: string): number {
  if ((op.seg ?? '') !== seg) return p;
  if (op.t === 'ins') return p > op.at || (p === op.at && bias === 'right') ? p + op.len : p;
  if (p >= op.e) return p - (op.e - op.s);
  return Math.min(p, op.s);
}

/** One request of the late batch: its ops as written (lineage) and as applied to the latest document. */
export interface Step {
  lineage: PrimitiveOp[];
  applied: PrimitiveOp[] | null;
}

/**
 * Maps positions from the late batch's world (target revision + its own earlier requests) to the latest
 * document (collaborator edits + the transformed earlier requests).
 */
export class LateBatchMapping {
  private readonly steps: Step[] = [];

  constructor(private readonly collaborators: readonly PrimitiveOp[]) {}

  /** Records how the last request changed both worlds. */
  push(step: Step): void {
    this.steps.push(step);
  }

  /** The latest-document position of position p (of segment `seg`, '' for the body) of the late batch's current world. */
  map(p: number, bias: Bias, seg = ''): number {
    return this.mapAt(this.steps.length, p, bias, seg);
  }

  private mapAt(k: number, p: number, bias: Bias, seg: string): number {
    if (k === 0) return this.collaborators.reduce((x, op) => through(op, x, bias, seg), p);
    const step = this.steps[k - 1]!;
    // Undo the step's lineage ops (last first), remembering positions inside text it inserted.
    let x = p;
    for (let i = step.lineage.length - 1; i >= 0; i--) {
      const op = step.lineage[i]!;
      if ((op.seg ?? '') !== seg) continue;
      const applied = step.applied?.[i];
      if (op.t === 'ins') {
        if (x > op.at && x <= op.at + op.len && applied?.t === 'ins') {
          // Inside (or at the end of) text this request inserted: same offset from where it was applied.
          let y = applied.at + (x - op.at);
          for (let j = i + 1; j < step.lineage.length; j++) y = through(step.applied![j]!, y, bias, seg);
          return y;
        }
        if (x > op.at) x -= op.len;
      } else if (x > op.s) x += op.e - op.s;
    }
    let y = this.mapAt(k - 1, x, bias, seg);
    // x is at or before what the step inserted (inside was handled above): it stays before it, as in the
    // batch's own sequence (a later request inserting at the same index goes before an earlier one's text).
    for (const op of step.applied ?? []) y = through(op, y, 'left', seg);
    return y;
  }
}
