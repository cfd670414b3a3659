import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The Word add-in's icons, emitted unhashed as `word-addin/icon-<size>.png`: the manifest an admin uploaded
 * names them by fixed URL (`docbridge word-addin manifest`), so they must keep their names across builds.
 */
function addinIcons(): Plugin {
  const dir = here('word-addin/icons');
  return {
    name: 'docbridge-addin-icons',
    generateBundle() {
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.png'))) {
        this.emitFile({
          type: 'asset',
          fileName: `word-addin/${file}`,
          source: readFileSync(`${dir}/${file}`),
        });
      }
    },
  };
}

/**
 * The web client build: five pages (documents list, editor, embed iframe, admin, guest link), the Word add-in's task pane
 * (`word-addin/taskpane.html`, with its icons) and its sign-in dialog (`word-addin/sign-in.html`) and the embed script, which is
 * emitted unhashed as `embed.js` because portals load it by that fixed URL. The server serves `client/dist`.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  plugins: [addinIcons()],
  logLevel: 'warn',
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No inline assets: the server's CSP allows only same-origin scripts and styles.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        index: here('index.html'),
        doc: here('doc.html'),
        embed: here('embed.html'),
        admin: here('admin.html'),
        guest: here('guest.html'),
        taskpane: here('word-addin/taskpane.html'),
        'sign-in': here('word-addin/sign-in.html'),
        'embed-element': here('embed/element.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'embed-element' ? 'embed.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
