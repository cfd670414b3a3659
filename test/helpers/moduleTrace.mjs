// Passed to node with `--import` before tsx: records the URL of every ES module (and every CommonJS entry
// imported from one) that the process loads, one per line, in the file named by DOCBRIDGE_MODULE_TRACE.
// Lets a test see which libraries a server loads on its idle path.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function load(url, context, next) {
      appendFileSync(${JSON.stringify(process.env.DOCBRIDGE_MODULE_TRACE)}, url + '\\n');
      return next(url, context);
    }
  `)}`,
);
