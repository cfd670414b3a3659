/**
 * A plain Uint8Array view of a driver Buffer (no copy). Both drivers return Node Buffers; handing out
 * plain views keeps callers (and equality checks in tests) independent of Node's Buffer API.
 */
export function toBytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
