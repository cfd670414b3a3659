import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The web client build: five pages (documents list, editor, embed iframe, admin, guest link) and the embed script, which is
 * emitted unhashed as `embed.js` because portals load it by that fixed URL. The server serves `client/dist`.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
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
        'embed-element': here('embed/element.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'embed-element' ? 'embed.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
