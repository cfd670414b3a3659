import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { BrowserOfficeConfig } from '../../emulators/word/browserOffice.ts';
import type { WordDocument } from '../../emulators/word/wordDocument.ts';

/** Where a shipped add-in loads Office.js from (Microsoft's CDN). */
export const OFFICE_JS_URL = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

let bundle: Promise<string> | null = null;

/** The Word emulator built for the browser (one IIFE script), built once per test process. */
function emulatorBundle(): Promise<string> {
  bundle ??= (async () => {
    const { build } = await import('vite');
    const output = await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        write: false,
        minify: false,
        target: 'es2022',
        lib: {
          entry: fileURLToPath(new URL('../../emulators/word/browserOffice.ts', import.meta.url)),
          formats: ['iife'],
          name: 'docbridgeWordEmulator',
        },
      },
    });
    const result = Array.isArray(output) ? output[0] : output;
    if (!result || !('output' in result)) throw new Error('the Word emulator did not build');
    return result.output[0].code;
  })();
  return bundle;
}

/**
 * Serves the Word emulator at Office.js's CDN URL for `page` and the windows it opens: the task pane loads it as it loads
 * Office.js in Word, under the server's real Content-Security-Policy (which must allow that URL).
 */
export async function routeOfficeJs(page: Page, config: BrowserOfficeConfig): Promise<void> {
  const code = await emulatorBundle();
  // On the context: the sign-in dialog, a popup of the pane, loads Office.js too.
  await page.context().route(OFFICE_JS_URL, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/javascript; charset=utf-8',
      body: `globalThis.wordEmulatorConfig = ${JSON.stringify(config)};\n${code}`,
    }),
  );
}

type Emulated = { wordEmulator: { document: WordDocument } };

/**
 * The Word user in the page, and what the test reads of Word. Each call is one `page.evaluate` of a
 * self-contained function (the page's CSP forbids eval, and the Word emulator lives in the page).
 */
export function wordUser(page: Page) {
  return {
    texts: () => page.evaluate(() => (globalThis as unknown as Emulated).wordEmulator.document.texts()),
    /** Write calls the add-in made through the Word API so far (the "no echo" count). */
    apiWrites: () => page.evaluate(() => (globalThis as unknown as Emulated).wordEmulator.document.apiWrites),
    /** Types at `offset` of paragraph `index` (`\n` is Enter), firing the events Word fires. */
    type: (index: number, offset: number, text: string) =>
      page.evaluate(
        ([i, o, t]) => (globalThis as unknown as Emulated).wordEmulator.document.userType(i, o, t),
        [index, offset, text] as const,
      ),
    /** Types at the end of paragraph `index`. */
    append: (index: number, text: string) =>
      page.evaluate(
        ([i, t]) => {
          const { document } = (globalThis as unknown as Emulated).wordEmulator;
          document.userType(i, document.paragraphs[i]!.text.length, t);
        },
        [index, text] as const,
      ),
    /** A fast paste at the end of paragraph `index`: Word fires no event for it. */
    paste: (index: number, text: string) =>
      page.evaluate(
        ([i, t]) => {
          const { document } = (globalThis as unknown as Emulated).wordEmulator;
          document.userPaste(i, document.paragraphs[i]!.text.length, t);
        },
        [index, text] as const,
      ),
  };
}
