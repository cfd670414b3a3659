import type { docs_v1 } from 'googleapis';
import { GoogleConnector } from '../../../connectors/google/googleConnector.ts';
import { EngineTransport } from '../../emulators/google/engineTransport.ts';

/**
 * The real Google connector over the emulator's request engine, in process (`EngineTransport`): the same
 * readGoogleDoc / batchUpdateFromDiff / targetRevisionId path as over HTTP, deterministic and fast, for
 * seeded random tests of the sync engine against Google's index rules. One document, id `engine`.
 */
export class EngineRemote extends GoogleConnector {
  readonly engine: EngineTransport;

  constructor(paragraphs: string[]) {
    const transport = new EngineTransport();
    transport.create('engine', paragraphs);
    super(transport);
    this.engine = transport;
  }

  get document(): docs_v1.Schema$Document {
    return this.engine.history('engine').current;
  }

  /** batchUpdate calls the connector made. */
  get writes(): number {
    return this.engine.calls.batchUpdate;
  }

  /** A Google user's edit at the latest revision. */
  edit(requests: docs_v1.Schema$Request[]): void {
    this.engine.history('engine').collaboratorEdit(requests);
  }
}
