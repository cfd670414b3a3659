import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * True when a Host header names a host (and port) and nothing else. @hono/node-server builds each request's URL
 * from it and lets through some that WHATWG URL reads as carrying credentials (`Host: a @b`): the fetch
 * `Request` then throws inside a route and the client got a 500.
 */
export function isPlainHost(host: string): boolean {
  try {
    const url = new URL(`http://${host}`);
    return url.username === '' && url.password === '' && url.pathname === '/' && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/** Answers 400 `bad-host` to a request whose Host header is present and not a plain host; the rest go on to `next`. */
export function refuseBadHost(next: RequestListener): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const host = request.headers.host;
    if (host !== undefined && !isPlainHost(host)) {
      response.writeHead(400, { 'content-type': 'text/plain', connection: 'close' }).end('bad-host');
      return;
    }
    next(request, response);
  };
}
