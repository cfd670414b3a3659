import type { CallKind } from './emulatorState.ts';

/** One injected fault: an error status (with Retry-After) or a delay, for the next `count` matching calls. */
export interface Fault {
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  delayMs?: number;
  count: number;
  /** Which API methods it hits; all API calls (not the token endpoint) when omitted. */
  calls?: CallKind[];
}

/** The queue of faults tests inject through the control API. */
export class FaultQueue {
  private faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault to apply to this call, consuming one of its uses. */
  take(kind: CallKind): Fault | null {
    const fault = this.faults.find((f) => f.count > 0 && (!f.calls || f.calls.includes(kind)));
    if (!fault) return null;
    fault.count -= 1;
    this.faults = this.faults.filter((f) => f.count > 0);
    return fault;
  }
}
