import tls from 'node:tls';
import { writeDocx } from '../../connectors/microsoft/docx/index.ts';

/**
 * Makes this process trust a Graph emulator's throwaway CA (node's https, fetch and the Microsoft libraries
 * all use the default CA list), as `NODE_EXTRA_CA_CERTS` does for a server process.
 */
export function trustCa(caPem: string): void {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);
}

/** A small .docx holding these paragraphs, written by the project's own writer. */
export function docxOf(paragraphs: string[]): Uint8Array {
  return writeDocx({
    type: 'doc',
    content: (paragraphs.length > 0 ? paragraphs : ['']).map((text) => ({
      type: 'paragraph',
      ...(text ? { content: [{ type: 'text', text }] } : {}),
    })),
  }).bytes;
}
