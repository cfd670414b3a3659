import { type Fault as AnyFault, FaultQueue as Queue } from '../faultQueue.ts';
import type { CallKind } from './emulatorState.ts';

/** One injected fault of the Google emulator (see `test/emulators/faultQueue.ts`). */
export type Fault = AnyFault<CallKind>;

/** The queue of faults tests inject through the control API. */
export class FaultQueue extends Queue<CallKind> {}
