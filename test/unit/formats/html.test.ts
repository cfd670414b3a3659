import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { readHtml, writeHtml } from '../../../connectors/formats/html.ts';
import { arbitraryDoc, canonicalDoc, htmlFeatures } from '../model/arbitraryDoc.ts';

/** Every URL-bearing attribute value and every tag name left in a document, as one string to search. */
function dangerSurface(doc: JSONContent): string {
  return JSON.stringify(doc).toLowerCase();
}

/** What a browser would find dangerous in the body of `html`: elements, handlers, unsafe URLs. */
function activeContent(html: string): string[] {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
  try {
    const dom = new window.DOMParser().parseFromString(html, 'text/html');
    const found: string[] = [];
    for (const el of dom.body.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'iframe', 'object', 'embed', 'form', 'meta', 'base', 'style', 'svg'].includes(tag))
        found.push(tag);
      for (const attr of el.getAttributeNames()) {
        const value = el.getAttribute(attr) ?? '';
        if (attr.startsWith('on')) found.push(`${tag}@${attr}`);
        const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
        if (
          ['href', 'src'].includes(attr) &&
          scheme &&
          !['http', 'https', 'mailto', 'tel'].includes(scheme)
        ) {
          found.push(`${tag}@${attr}=${value}`);
        }
      }
    }
    return found;
  } finally {
    window.close();
  }
}

describe('html', () => {
  it('keeps every document the HTML profile generates (write then read)', () => {
    fc.assert(
      fc.property(arbitraryDoc(htmlFeatures), (doc) => {
        const { html, warnings } = writeHtml(doc);
        expect(warnings).toEqual([]);
        const back = readHtml(html);
        expect(back.doc, html).toEqual(canonicalDoc(doc));
        expect(back.warnings).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('reaches a fixpoint from arbitrary HTML: read(write(read(x))) equals read(x)', () => {
    const pieces = [
      '<p>',
      '</p>',
      '<h2>',
      '</h2>',
      '<ul><li>',
      '</li></ul>',
      '<ol start="3"><li>',
      '<b>',
      '</b>',
      '<i>',
      '<a href="https://x.y/">',
      '</a>',
      '<br>',
      '<pre><code class="language-js">',
      '</code></pre>',
      '<blockquote>',
      '</blockquote>',
      '<table><tr><td>',
      '</td><th>',
      '</th></tr></table>',
      '<img src="https://x.y/i.png" alt="i">',
      'word',
      ' ',
      '\n',
      '&amp;',
      '<div>',
      '</div>',
      '<span data-atom-kind="field" data-atom-source="docx" data-atom-payload="&lt;x/&gt;">F</span>',
      '<hr>',
      '<u>',
      '<s>',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), (parts) => {
        const first = readHtml(parts.join('')).doc;
        expect(readHtml(writeHtml(first).html).doc).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  it('writes a standalone, escaped document', () => {
    const doc: JSONContent = {
      type: 'doc',
      content: [
        {
          type: 'heading',
          attrs: { level: 1, blockStyle: 'title' },
          content: [{ type: 'text', text: '<Report> & "co"' }],
        },
        { type: 'paragraph', content: [{ type: 'text', text: '</p><script>alert(1)</script>' }] },
        {
          type: 'atomBlock',
          attrs: { kind: 'equation', label: 'x<y', source: 'docx', payload: '"><script>' },
        },
      ],
    };
    const { html } = writeHtml(doc);
    expect(html.startsWith('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).toContain('<title>&lt;Report&gt; &amp; &quot;co&quot;</title>');
    expect(html).toContain('&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data-atom-payload="&quot;><script>"');
    expect(activeContent(html)).toEqual([]);
    expect(readHtml(html).doc).toEqual(canonicalDoc(doc));
  });

  it('drops unsafe URLs from documents it writes', () => {
    const doc: JSONContent = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
            { type: 'image', attrs: { src: 'data:text/html;base64,PHNjcmlwdD4=', alt: 'pic' } },
          ],
        },
      ],
    };
    const { html, warnings } = writeHtml(doc);
    expect(html).not.toMatch(/javascript:|data:text/i);
    expect(warnings.map((w) => w.code)).toEqual(['HTML_UNSAFE_URL_DROPPED']);
  });

  const hostile: [string, string][] = [
    ['script element', '<p>a</p><script>alert(1)</script>'],
    ['script in svg', '<svg><script>alert(1)</script></svg><p>a</p>'],
    ['event handler', '<p onclick="alert(1)">a</p><img src="https://x.y/i.png" onerror="alert(1)">'],
    ['javascript link', '<a href="javascript:alert(1)">a</a>'],
    [
      'obfuscated javascript link',
      '<a href="  JaVa&#x09;Script:alert(1)">a</a><a href="java\nscript:alert(1)">b</a>',
    ],
    ['entity-encoded javascript', '<a href="&#106;avascript:alert(1)">a</a>'],
    ['vbscript link', '<a href="vbscript:msgbox(1)">a</a>'],
    ['data link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>'],
    ['data svg image', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
    ['data html image', '<img src="data:text/html,<script>alert(1)</script>">'],
    ['javascript image', '<img src="javascript:alert(1)">'],
    ['iframe', '<iframe src="https://evil.example/"></iframe><p>a</p>'],
    ['object/embed', '<object data="x.swf"></object><embed src="x.swf">'],
    ['form', '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>'],
    [
      'style',
      '<style>body{background:url(javascript:alert(1))}</style><p style="background:url(javascript:x)">a</p>',
    ],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><p>a</p>'],
    ['base', '<base href="javascript:alert(1)//"><a href="/x">a</a>'],
    ['unclosed mess', '<p><a href="javascript:alert(1)"<b>x</p><img src=x onerror=alert(1)//'],
    ['comment trick', '<!--<img src="--><img src=x onerror=alert(1)//">-->'],
    ['mxss noscript', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
    [
      'atom payload injection',
      '<span data-atom-kind="x" onmouseover="alert(1)" data-atom-payload="<script>">l</span>',
    ],
  ];

  for (const [name, input] of hostile) {
    it(`neutralises hostile input: ${name}`, () => {
      const { doc } = readHtml(input);
      const surface = dangerSurface(doc);
      expect(surface).not.toMatch(
        /javascript|vbscript|onerror|onclick|onmouseover|data:text|svg\+xml|alert\(1\)"?}/,
      );
      // Whatever text survives is inert: written back out, no script, handler or unsafe URL appears.
      expect(activeContent(writeHtml(doc).html)).toEqual([]);
    });
  }

  it('reports removed unsafe content as a warning', () => {
    expect(readHtml('<p onclick="x()">a</p><script>1</script>').warnings.map((w) => w.code)).toEqual([
      'HTML_UNSAFE_CONTENT_REMOVED',
    ]);
  });

  it('unwraps pathologically deep nesting instead of overflowing', () => {
    const deep = `${'<div>'.repeat(5000)}deep${'</div>'.repeat(5000)}`;
    const { doc, warnings } = readHtml(deep);
    expect(JSON.stringify(doc)).toContain('deep');
    expect(warnings.map((w) => w.code)).toContain('HTML_NESTING_TRUNCATED');
  });
});
