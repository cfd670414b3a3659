import type { CallKind } from './graphState.ts';

/** One injected fault for the next `count` matching calls: an error status with Retry-After, or a delay. */
export interface GraphFault {
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** Upload fragments only: store the fragment, then cut the connection without an answer. */
  reset?: boolean;
  count: number;
  /** Which calls it hits; every Graph call (not the token endpoint) when omitted. */
  calls?: CallKind[];
}

/** The queue of faults tests inject through the control API, consumed in order. */
export class GraphFaults {
  private faults: GraphFault[] = [];

  add(fault: GraphFault): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault for this call, if any, using up one of its uses. */
  take(kind: CallKind): GraphFault | null {
    const index = this.faults.findIndex((f) => (f.calls ? f.calls.includes(kind) : kind !== 'token'));
    const fault = this.faults[index];
    if (!fault) return null;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(index, 1);
    return fault;
  }
}
