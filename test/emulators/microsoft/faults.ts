import { FaultQueue } from '../faultQueue.ts';
import type { CallKind } from './graphState.ts';

/** The Graph emulator's injected faults (see `test/emulators/faultQueue.ts`). */
export class GraphFaults extends FaultQueue<CallKind> {}
