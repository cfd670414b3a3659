import fc from 'fast-check';

/** Characters that break parsers: controls, percent signs, slashes, non-ASCII, surrogates. */
const nasty = fc.constantFrom(
  '%',
  '%E0%A4%A',
  '%00',
  '%2F',
  '//',
  '\\',
  '@',
  '..',
  '?',
  '#',
  ' ',
  '\u00e9',
  '\ud800',
  '*',
  ':',
);

/** A string built from ordinary and nasty pieces. */
const tricky = fc
  .array(fc.oneof(fc.string({ maxLength: 8 }), nasty), { maxLength: 8 })
  .map((parts) => parts.join(''));

/** Request targets: near-valid socket paths with damage, absolute forms, `*`, `//`, random text. */
export const target: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom('/collab', '/yjs/', '/yjs/dept-a/', '/', '//', '/api/'), tricky)
    .map(([a, b]) => a + b),
  fc.constantFrom('//', '*', 'http://x/collab', '/yjs/%E0%A4%A', '/yjs/dept-a/doc?token=%', 'collab'),
  tricky,
);

/** Header values, including ones a URL parser refuses (`x@y`, `[`, spaces, non-ASCII). */
const headerValue = fc.oneof(
  tricky,
  fc.constantFrom('x@y', '[::1', 'a b', '127.0.0.1:99999', '', 'http://localhost', 'null', '\u00ff\u00fe'),
);

/**
 * A raw request with a random target, Host, Origin, key, version and extra headers: a WebSocket upgrade, or
 * (one time in four) the same request without `Upgrade`, which the HTTP side answers.
 */
export const upgrade: fc.Arbitrary<string> = fc
  .record({
    target,
    host: fc.option(headerValue, { nil: undefined }),
    origin: fc.option(headerValue, { nil: undefined }),
    key: fc.oneof(fc.constant('dGhlIHNhbXBsZSBub25jZQ=='), headerValue),
    version: fc.constantFrom('13', '8', '', 'x'),
    extra: fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), headerValue), { maxLength: 3 }),
    plain: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  })
  .map(({ target, host, origin, key, version, extra, plain }) => {
    const headers: [string, string][] = [
      ...(host === undefined ? [] : [['Host', host] as [string, string]]),
      ...(plain
        ? []
        : ([
            ['Upgrade', 'websocket'],
            ['Connection', 'Upgrade'],
          ] as [string, string][])),
      ['Sec-WebSocket-Key', key],
      ['Sec-WebSocket-Version', version],
      ...(origin === undefined ? [] : [['Origin', origin] as [string, string]]),
      ...extra,
    ];
    // Header values cannot hold line breaks on the wire; anything else goes.
    const clean = (value: string) => value.replace(/[\r\n]/g, '');
    return `GET ${clean(target).replace(/ /g, '%20') || '/'} HTTP/1.1\r\n${headers
      .map(([name, value]) => `${name}: ${clean(value)}`)
      .join('\r\n')}\r\n\r\n`;
  });

/** JSON bodies a careless or hostile client sends: any JSON, wrong shapes, prototype keys, deep nesting. */
export const jsonBody: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.constantFrom(
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    '{"title":',
    '',
    'null',
    '{"sub":""}',
    '{"doc":"dept-a/x","credential":"c","url":"javascript:alert(1)"}',
    '{"name":"x","auto":true}',
  ),
  fc
    .record({ title: tricky, name: tricky, sub: tricky, doc: tricky, credential: tricky, url: tricky })
    .map((value) => JSON.stringify(value)),
);

/** Every JSON route of the API, with its method; `:x` segments are filled with tricky text. */
export const routes: readonly [string, string][] = [
  ['GET', '/api/session'],
  ['POST', '/api/session/token'],
  ['POST', '/api/session/signout'],
  ['GET', '/api/documents'],
  ['POST', '/api/documents'],
  ['GET', '/api/documents/:tenant/:id'],
  ['PATCH', '/api/documents/:tenant/:id'],
  ['GET', '/api/documents/:tenant/:id/links'],
  ['GET', '/api/documents/:tenant/:id/versions'],
  ['POST', '/api/documents/:tenant/:id/versions'],
  ['GET', '/api/documents/:tenant/:id/versions/:version'],
  ['POST', '/api/documents/:tenant/:id/versions/:version/restore'],
  ['GET', '/api/documents/:tenant/:id/export'],
  ['POST', '/api/documents/import'],
  ['GET', '/api/credentials'],
  ['POST', '/api/credentials'],
  ['POST', '/api/credentials/:id/verify'],
  ['DELETE', '/api/credentials/:id'],
  ['GET', '/api/links'],
  ['POST', '/api/links'],
  ['DELETE', '/api/links/:id'],
  ['POST', '/api/links/:id/resync'],
  ['GET', '/api/audit'],
  ['POST', '/api/revocations'],
  ['GET', '/api/image'],
  ['POST', '/hooks/google'],
  ['GET', '/signin'],
];

/** A path segment: a real-looking value or tricky (percent-encoded so it stays one segment) text. */
export const segment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('dept-a', 'fuzz', '1', '0', '-1', '99999999999999999999', 'dept-b'),
  tricky.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) || 'x'),
  fc.constantFrom('%E0%A4%A', '%', '..'),
);

/** A query string of tricky parameters (format, before, limit, doc, filename, force). */
export const query: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('format', 'before', 'limit', 'doc', 'filename', 'force', 'title', 'src', 'code'),
      fc.oneof(tricky, fc.constantFrom('docx', 'md', '-5', 'NaN', '1e309')),
    ),
    { maxLength: 3 },
  )
  .map((pairs) =>
    pairs.length
      ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}`).join('&')}`
      : '',
  );
