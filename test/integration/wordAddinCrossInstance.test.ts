import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { liveParagraphs, liveText } from '../helpers/googleDocs.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { TEST_SECRET } from '../helpers/tokens.ts';
import { startWordAddinEnv, type WordAddinEnv } from '../helpers/wordAddinEnv.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DOC = 'dept-a/handover-across';
const ADDIN_USER = 'wim@contoso.com';

let db: TempDatabase;
let env: WordAddinEnv;
/** The instance the Word add-in connects to; the link runs on the other one (`env.server`). */
let addinInstance: ServerProcess;
beforeAll(async () => {
  db = await createTempDatabase();
  const shared = { DATABASE_URL: db.url, REDIS_URL };
  env = await startWordAddinEnv(shared);
  addinInstance = await startServerProcess({
    ...shared,
    DOCBRIDGE_DATA_DIR: tempDataDir(),
    DOCBRIDGE_JWT_SECRET: TEST_SECRET,
    NODE_EXTRA_CA_CERTS: env.emulator.caPath,
  });
  await env.user(ADDIN_USER);
}, 120_000);
afterAll(async () => {
  await addinInstance?.stop();
  await env?.close();
  await db?.drop();
});

describe('hand-over when the Word add-in is on another instance than the link', () => {
  it('holds uploads on the link’s instance while the add-in is live on the other, hands over when it leaves, and no save older than its end removes mirrored text', async () => {
    // Created through env.server, so run there: the add-in goes to the other instance.
    const file = await env.linkedFile(DOC, ['Housing policy', 'Draft one'], { [ADDIN_USER]: 'write' });
    const web = await env.client(DOC);
    const shared = () => liveParagraphs(web.doc).join('|');
    await waitFor(() => shared() === 'Housing policy|Draft one', 'the Word file in the web client', 30_000);
    await waitFor(async () => (await env.linkView(DOC)).status === 'synced', 'the link synced', 30_000);

    // Word holds the file open (Graph answers 423 to uploads) while the add-in runs in it.
    await env.openInWord(file.itemId, ADDIN_USER);
    const addin = await env.openAddin(DOC, file, ADDIN_USER, ['Housing policy', 'Draft one'], addinInstance);
    const { word } = addin;
    const uploadsBefore = (await env.stats()).uploads.length;

    // A web edit reaches Word; Word typing reaches the web; Word autosaves that state to OneDrive...
    liveText(web.doc, 1).insert(liveText(web.doc, 1).length, ' <web-1>');
    await waitFor(() => word.texts()[1]?.includes('<web-1>') ?? false, '<web-1> in Word', 15_000);
    word.userType(0, word.texts()[0]!.length, ' <word-1>');
    await waitFor(() => shared().includes('<word-1>'), 'Word typing on the web', 15_000);
    await env.wordSave(
      file.itemId,
      [
        { appendText: { paragraph: 0, text: ' <word-1>' } },
        { appendText: { paragraph: 1, text: ' <web-1>' } },
      ],
      ADDIN_USER,
    );
    // ...and a web edit after that save reaches Word, which has not saved it when the session ends.
    liveText(web.doc, 1).insert(liveText(web.doc, 1).length, ' <web-2>');
    await waitFor(() => word.texts()[1]?.includes('<web-2>') ?? false, '<web-2> in Word', 15_000);
    const lastEdit = Date.now();
    await waitFor(
      async () => ((await env.linkView(DOC)).lastSyncedAt ?? 0) > lastEdit + 3000,
      'the link stepping after the edits',
      30_000,
    );
    expect((await env.linkView(DOC)).statusDetail).toContain('live in Word');
    expect((await env.stats()).uploads.slice(uploadsBefore)).toEqual([]);

    // Word closes, and the add-in with it; more web typing right after.
    await env.closeInWord(file.itemId);
    await addin.leave();
    const ended = Date.now();
    liveText(web.doc, 0).insert(0, '<web-after> ');
    const expected = '<web-after> Housing policy <word-1>|Draft one <web-1> <web-2>';
    await waitFor(
      async () => shared() === expected && (await env.wordParagraphs(file.itemId)).join('|') === expected,
      'the Word file with the shared content',
      60_000,
    );
    console.log(
      `hand-over across instances: the Word file held the shared content ${Date.now() - ended} ms after the add-in left`,
    );
    // Told by the add-in's instance, not by its reports running out.
    expect(env.server.output()).toContain('live client left on another instance');
    const uploads = (await env.stats()).uploads.slice(uploadsBefore);
    expect(uploads.length).toBeGreaterThan(0);
    for (const upload of uploads) expect(upload.ifMatch).not.toBeNull();

    // A Word save with no session live is pulled in file mode, and nothing is doubled or lost.
    await env.wordSave(file.itemId, [{ appendText: { paragraph: 1, text: ' <saved-in-word>' } }]);
    await waitFor(() => shared().includes('<saved-in-word>'), 'the Word save on the web', 30_000);
    for (const marker of ['<web-1>', '<web-2>', '<web-after>', '<word-1>', '<saved-in-word>'])
      expect(shared().split(marker).length - 1, marker).toBe(1);
  });
});
