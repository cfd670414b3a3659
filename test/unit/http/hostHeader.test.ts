import { describe, expect, it } from 'vitest';
import { isPlainHost } from '../../../server/http/hostHeader.ts';

describe('isPlainHost', () => {
  it('accepts a host, with or without a port, IPv4 and IPv6', () => {
    for (const host of ['localhost', 'docs.example.gov.uk:8443', '127.0.0.1:3000', '[::1]:8080'])
      expect(isPlainHost(host), host).toBe(true);
  });

  it('refuses what would put credentials, a path, a query or nothing into the URL', () => {
    // The first is the fuzz counterexample (seed 1601606662): é arrives as two latin1 characters, and
    // @hono/node-server's own check let it through because the punycoded host happened to be as long.
    for (const host of ['!     @Ã©', 'user:pw@host', 'a @b', 'host/path', 'host?q', 'host#f', '', 'exa mple'])
      expect(isPlainHost(host), host).toBe(false);
  });
});
