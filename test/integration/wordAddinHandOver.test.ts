import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { liveParagraphs, liveText } from '../helpers/googleDocs.ts';
import { startWordAddinEnv, type WordAddinEnv } from '../helpers/wordAddinEnv.ts';

let env: WordAddinEnv;
beforeAll(async () => {
  env = await startWordAddinEnv();
  await env.user('wim@contoso.com');
}, 120_000);
afterAll(() => env?.close());

const DOC = 'dept-a/handover';

describe('hand-over between the Word add-in (live mode) and file mode', () => {
  it('uploads nothing while an add-in session is live, then the file ends with the shared content; a later Word save is pulled', async () => {
    const file = await env.linkedFile(DOC, ['Housing policy', 'Draft one'], { 'wim@contoso.com': 'write' });
    const web = await env.client(DOC);
    await waitFor(
      () => liveParagraphs(web.doc).join('|') === 'Housing policy|Draft one',
      'the Word file in the web client',
      30_000,
    );
    await waitFor(async () => (await env.linkView(DOC)).status === 'synced', 'the link synced', 30_000);

    // The add-in, Node-side: the real binding against the Word API emulator, on a socket with its session token.
    const addin = await env.openAddin(DOC, file, 'wim@contoso.com', ['Housing policy', 'Draft one']);
    const { word } = addin;
    const uploadsBefore = (await env.stats()).uploads.length;

    // Web edits while the session is live reach Word through the add-in; Word's typing reaches the web.
    const markers = [' <web-1>', ' <web-2>', ' <web-3>'];
    for (const marker of markers) {
      liveText(web.doc, 1).insert(liveText(web.doc, 1).length, marker);
      await waitFor(() => word.texts()[1]?.includes(marker) ?? false, `${marker} in Word`, 15_000);
    }
    word.userType(0, word.texts()[0]!.length, ' <word-1>');
    await waitFor(
      () => liveParagraphs(web.doc)[0]?.includes('<word-1>') ?? false,
      'Word typing on the web',
      15_000,
    );
    // A push would be due within two seconds of these edits: once the link has stepped well past that and
    // still says "live in Word", it uploaded nothing.
    const lastEdit = Date.now();
    await waitFor(
      async () => ((await env.linkView(DOC)).lastSyncedAt ?? 0) > lastEdit + 4000,
      'the link stepping after the edits',
      30_000,
    );
    expect((await env.linkView(DOC)).statusDetail).toContain('live in Word');
    expect((await env.stats()).uploads.length).toBe(uploadsBefore);
    expect(await env.wordParagraphs(file.itemId)).toEqual(['Housing policy', 'Draft one']);

    // The session ends: file mode resumes from the shared state.
    await addin.leave();
    const ended = Date.now();
    const shared = () => liveParagraphs(web.doc).join('|');
    await waitFor(
      async () => (await env.wordParagraphs(file.itemId)).join('|') === shared(),
      'the Word file with the shared content',
      30_000,
    );
    console.log(
      `hand-over: the Word file held the shared content ${Date.now() - ended} ms after the session ended`,
    );
    expect(shared()).toBe('Housing policy <word-1>|Draft one <web-1> <web-2> <web-3>');
    const uploads = (await env.stats()).uploads.slice(uploadsBefore);
    expect(uploads.length).toBeGreaterThan(0);
    for (const upload of uploads) expect(upload.ifMatch).not.toBeNull();
    await waitFor(
      async () => !(await env.linkView(DOC)).statusDetail?.includes('live in Word'),
      'the live note gone',
      15_000,
    );

    // A Word save with no session live is pulled in file mode, and nothing is doubled.
    await env.wordSave(file.itemId, [{ appendText: { paragraph: 1, text: ' <saved-in-word>' } }]);
    await waitFor(
      () => liveParagraphs(web.doc)[1]?.includes('<saved-in-word>') ?? false,
      'the Word save on the web',
      30_000,
    );
    const text = shared();
    for (const marker of ['<web-1>', '<web-2>', '<web-3>', '<word-1>', '<saved-in-word>'])
      expect(text.split(marker).length - 1, marker).toBe(1);
  });

  it('with Word still open after the pane closed, uploads wait (423); Word’s next save is merged and web edits typed since stay', async () => {
    const doc = 'dept-a/handover-open';
    const file = await env.linkedFile(doc, ['Budget', 'Notes'], { 'wim@contoso.com': 'write' });
    const web = await env.client(doc);
    const shared = () => liveParagraphs(web.doc).join('|');
    await waitFor(() => shared() === 'Budget|Notes', 'the Word file in the web client', 30_000);
    await waitFor(async () => (await env.linkView(doc)).status === 'synced', 'the link synced', 30_000);
    await env.openInWord(file.itemId, 'wim@contoso.com');
    const addin = await env.openAddin(doc, file, 'wim@contoso.com', ['Budget', 'Notes']);
    const { word } = addin;
    liveText(web.doc, 1).insert(liveText(web.doc, 1).length, ' <web-1>');
    await waitFor(() => word.texts()[1]?.includes('<web-1>') ?? false, '<web-1> in Word', 15_000);
    word.userType(0, word.texts()[0]!.length, ' <word-1>');
    await waitFor(() => shared().includes('<word-1>'), 'Word typing on the web', 15_000);

    // The pane closes; Word keeps the file open. A web user types; uploads of it are refused while Word holds it.
    await addin.leave();
    const ended = Date.now();
    liveText(web.doc, 1).insert(0, '<web-after> ');
    const locked = async () =>
      (await env.stats()).uploads.filter((u) => u.itemId === file.itemId && u.status === 423).length;
    const lockedBefore = await locked();
    await waitFor(
      async () => (await locked()) >= lockedBefore + 2,
      'uploads refused while Word holds the file',
      30_000,
    );
    // Word saves what it holds, with an edit made after the pane closed (a save later than the end), and closes.
    await waitFor(() => Date.now() > ended + 3000, 'a save clearly later than the end', 10_000);
    await env.wordSave(
      file.itemId,
      [
        { appendText: { paragraph: 0, text: ' <word-1>' } },
        { appendText: { paragraph: 1, text: ' <web-1> <word-later>' } },
      ],
      'wim@contoso.com',
    );
    await env.closeInWord(file.itemId);
    const expected = 'Budget <word-1>|<web-after> Notes <web-1> <word-later>';
    await waitFor(
      async () => shared() === expected && (await env.wordParagraphs(file.itemId)).join('|') === expected,
      'the Word save merged, web edits kept, and the file with the shared content',
      60_000,
    );
  });
});
