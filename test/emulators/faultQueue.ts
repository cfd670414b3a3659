/**
 * One injected fault for the next `count` matching calls of an emulator: an error status (with Retry-After),
 * a delay, or (upload fragments) a connection cut after the data was stored. `calls` names the API methods it
 * hits; every API call the emulator guards when omitted (never the token endpoint).
 */
export interface Fault<Kind extends string> {
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** Store what was sent, then cut the connection without an answer (the Graph emulator's upload fragments). */
  reset?: boolean;
  count: number;
  calls?: Kind[];
}

/** The queue of faults tests inject through an emulator's control API, consumed in order. */
export class FaultQueue<Kind extends string> {
  private faults: Fault<Kind>[] = [];

  add(fault: Fault<Kind>): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault to apply to this call, if any, using up one of its uses. */
  take(kind: Kind): Fault<Kind> | null {
    const index = this.faults.findIndex((f) => f.count > 0 && (!f.calls || f.calls.includes(kind)));
    const fault = this.faults[index];
    if (!fault) return null;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(index, 1);
    return fault;
  }
}
