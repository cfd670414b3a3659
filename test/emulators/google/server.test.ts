import { docs as googleDocs } from '@googleapis/docs';
import { drive as googleDrive } from '@googleapis/drive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../../../connectors/google/accessTokens.ts';
import { createServiceAccount } from '../../helpers/googleCredentials.ts';
import { type GoogleEmulator, startGoogleEmulator } from './server.ts';

let emulator: GoogleEmulator;
let token: string;
const SA = 'sync@docbridge-test.iam.gserviceaccount.com';

const control = async (path: string, body?: unknown) => {
  const res = await fetch(`${emulator.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<Record<string, unknown>>;
};

beforeAll(async () => {
  emulator = await startGoogleEmulator();
  const key = await createServiceAccount(emulator, SA);
  token = await new AccessTokens({ kind: 'serviceAccount', key }, emulator.tokenUrl).get();
});
afterAll(() => emulator.close());

const docs = () => googleDocs({ version: 'v1', rootUrl: `${emulator.url}/` });
const auth = () => ({ headers: { Authorization: `Bearer ${token}` } });

describe('Google emulator over HTTP, driven by the real Google API clients', () => {
  it('issues tokens only for a correctly signed service-account assertion', async () => {
    const stranger = await createServiceAccount(
      { url: 'http://127.0.0.1:9', tokenUrl: emulator.tokenUrl },
      'x@y.z',
    ).catch(() => null);
    expect(stranger).toBeNull();
    const forged = await fetch(emulator.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: SA })).toString('base64url')}.c2ln`,
      }),
    });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('acts as the impersonated user under domain-wide delegation (subject), and for OAuth refresh-token users', async () => {
    const key = await createServiceAccount(emulator, 'delegated@docbridge-test.iam.gserviceaccount.com');
    const { documentId } = (await control('/control/documents', {
      title: 'Owned by a user',
      owner: 'ada@dept-a.gov.uk',
    })) as {
      documentId: string;
    };
    const asSubject = await new AccessTokens(
      { kind: 'serviceAccount', key, subject: 'ada@dept-a.gov.uk' },
      emulator.tokenUrl,
    ).get();
    const asItself = await new AccessTokens({ kind: 'serviceAccount', key }, emulator.tokenUrl).get();
    const read = (bearer: string) =>
      fetch(`${emulator.url}/v1/documents/${documentId}`, { headers: { Authorization: `Bearer ${bearer}` } });
    expect((await read(asSubject)).status).toBe(200);
    expect((await read(asItself)).status).toBe(403);

    await control('/control/oauth-clients', {
      clientId: 'cid',
      clientSecret: 'csecret',
      refreshToken: 'rt-1',
      user: 'ada@dept-a.gov.uk',
    });
    const oauth = await new AccessTokens(
      { kind: 'oauth', clientId: 'cid', clientSecret: 'csecret', refreshToken: 'rt-1' },
      emulator.tokenUrl,
    ).get();
    expect((await read(oauth)).status).toBe(200);
    const revoked = new AccessTokens(
      { kind: 'oauth', clientId: 'cid', clientSecret: 'csecret', refreshToken: 'rt-x' },
      emulator.tokenUrl,
    );
    await expect(revoked.get()).rejects.toMatchObject({ code: 'REMOTE_AUTH_FAILED' });
  });

  it('serves documents.get and applies batchUpdate with UTF-16 indices and revisions', async () => {
    const { documentId } = (await control('/control/documents', { title: 'Plan', owner: SA })) as {
      documentId: string;
    };
    const before = (await docs().documents.get({ documentId }, auth())).data;
    expect(before.body?.content?.[1]?.startIndex).toBe(1);
    const write = await docs().documents.batchUpdate(
      {
        documentId,
        requestBody: {
          requests: [{ insertText: { location: { index: 1 }, text: '😀 hello' } }],
          writeControl: { requiredRevisionId: before.revisionId! },
        },
      },
      auth(),
    );
    const after = (await docs().documents.get({ documentId }, auth())).data;
    expect(write.data.writeControl?.requiredRevisionId).toBe(after.revisionId);
    expect(after.revisionId).not.toBe(before.revisionId);
    // The emoji is two UTF-16 code units: '😀 hello\n' spans 1..10.
    expect(after.body?.content?.[1]?.endIndex).toBe(10);
  });

  it('creates a footnote (its id in the reply), then fills it by segmentId against the reply revision', async () => {
    const { documentId } = (await control('/control/documents', { title: 'Notes', owner: SA })) as {
      documentId: string;
    };
    const before = (await docs().documents.get({ documentId }, auth())).data;
    const first = await docs().documents.batchUpdate(
      {
        documentId,
        requestBody: {
          requests: [
            { insertText: { location: { index: 1 }, text: 'Claim' } },
            { createFootnote: { location: { index: 6 } } },
          ],
          writeControl: { targetRevisionId: before.revisionId! },
        },
      },
      auth(),
    );
    const footnoteId = first.data.replies?.[1]?.createFootnote?.footnoteId;
    expect(footnoteId).toMatch(/^kix\./);
    const created = (await docs().documents.get({ documentId }, auth())).data;
    expect(created.footnotes?.[footnoteId!]?.content?.[0]?.paragraph?.elements?.[0]?.textRun?.content).toBe(
      ' \n',
    );
    // A Google user types in the body meanwhile; the fill is transformed over it (its indices are the footnote's).
    await control(`/control/documents/${documentId}/edit`, {
      requests: [{ insertText: { location: { index: 1 }, text: 'Big ' } }],
    });
    await docs().documents.batchUpdate(
      {
        documentId,
        requestBody: {
          requests: [{ insertText: { location: { index: 1, segmentId: footnoteId! }, text: 'Source.' } }],
          writeControl: { targetRevisionId: first.data.writeControl!.requiredRevisionId! },
        },
      },
      auth(),
    );
    const after = (await docs().documents.get({ documentId }, auth())).data;
    const paragraph = after.body!.content![1]!.paragraph!.elements!;
    expect(paragraph.map((e) => e.textRun?.content ?? `[${e.footnoteReference?.footnoteNumber}]`)).toEqual([
      'Big Claim',
      '[1]',
      '\n',
    ]);
    expect(after.footnotes?.[footnoteId!]?.content?.[0]?.paragraph?.elements?.[0]?.textRun?.content).toBe(
      ' Source.\n',
    );
    const refused = await docs()
      .documents.batchUpdate(
        {
          documentId,
          requestBody: { requests: [{ createFootnote: { location: { index: 1, segmentId: footnoteId! } } }] },
        },
        auth(),
      )
      .catch((e: { response?: { status: number; data: unknown } }) => e.response);
    expect(refused?.status).toBe(400);
    expect(refused?.data).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
  });

  it('refuses a stale requiredRevisionId with FAILED_PRECONDITION and applies nothing', async () => {
    const { documentId, revisionId } = (await control('/control/documents', { title: 'T', owner: SA })) as {
      documentId: string;
      revisionId: string;
    };
    await control(`/control/documents/${documentId}/edit`, {
      requests: [{ insertText: { location: { index: 1 }, text: 'G' } }],
    });
    const error = await docs()
      .documents.batchUpdate(
        {
          documentId,
          requestBody: {
            requests: [{ insertText: { location: { index: 1 }, text: 'X' } }],
            writeControl: { requiredRevisionId: revisionId },
          },
        },
        auth(),
      )
      .catch((e: { response?: { status: number; data: unknown } }) => e.response);
    expect(error?.status).toBe(400);
    expect(error?.data).toMatchObject({ error: { status: 'FAILED_PRECONDITION' } });
    const text = JSON.stringify((await docs().documents.get({ documentId }, auth())).data.body);
    expect(text).toContain('"content":"G\\n"');
  });

  it("transforms a Google user's edit over writes that landed after the revision the user saw", async () => {
    const { documentId } = (await control('/control/documents', {
      title: 'Race',
      owner: SA,
      requests: [{ insertText: { location: { index: 1 }, text: 'abc' } }],
    })) as { documentId: string };
    const text = async () =>
      ((await docs().documents.get({ documentId }, auth())).data.body?.content ?? [])
        .flatMap((e) => e.paragraph?.elements ?? [])
        .map((e) => e.textRun?.content ?? '')
        .join('');
    const seen = (await docs().documents.get({ documentId }, auth())).data.revisionId!;
    // A write lands between the user's read and the user's edits ('XYZ' between 'a' and 'b').
    await docs().documents.batchUpdate(
      {
        documentId,
        requestBody: {
          requests: [{ insertText: { location: { index: 2 }, text: 'XYZ' } }],
          writeControl: { targetRevisionId: seen },
        },
      },
      auth(),
    );
    // The user, looking at 'abc', types 'Q' between 'b' and 'c', then deletes 'b': indices of what they saw.
    await control(`/control/documents/${documentId}/edit`, {
      requests: [{ insertText: { location: { index: 3 }, text: 'Q' } }],
      revisionId: seen,
    });
    await control(`/control/documents/${documentId}/edit`, {
      requests: [{ deleteContentRange: { range: { startIndex: 2, endIndex: 3 } } }],
      revisionId: seen,
    });
    // Applied at the latest revision as written, the 'Q' would split 'XYZ' and the delete would take the 'X'.
    expect(await text()).toBe('aXYZQc\n');
  });

  it('answers without a valid token 401, and injected faults with their status and Retry-After', async () => {
    const { documentId } = (await control('/control/documents', { title: 'F', owner: SA })) as {
      documentId: string;
    };
    const unauth = await fetch(`${emulator.url}/v1/documents/${documentId}`);
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
    await control('/control/faults', {
      status: 429,
      retryAfterSeconds: 7,
      count: 1,
      calls: ['documents.get'],
    });
    const limited = await fetch(`${emulator.url}/v1/documents/${documentId}`, auth());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED' } });
    expect((await fetch(`${emulator.url}/v1/documents/${documentId}`, auth())).status).toBe(200);
  });

  it('keeps documents private to the principals that may edit them', async () => {
    const { documentId } = (await control('/control/documents', {
      title: 'P',
      owner: 'someone@dept-b.gov.uk',
    })) as {
      documentId: string;
    };
    const res = await fetch(`${emulator.url}/v1/documents/${documentId}`, auth());
    expect(res.status).toBe(403);
    expect((await fetch(`${emulator.url}/v1/documents/nope`, auth())).status).toBe(404);
  });

  it('serves the Drive change feed for files the caller can see', async () => {
    const drive = googleDrive({ version: 'v3', rootUrl: `${emulator.url}/` });
    const start = (await drive.changes.getStartPageToken({}, auth())).data.startPageToken!;
    const { documentId } = (await control('/control/documents', { title: 'C', owner: SA })) as {
      documentId: string;
    };
    const list = (await drive.changes.list({ pageToken: start }, auth())).data;
    expect(list.changes?.map((c) => c.fileId)).toContain(documentId);
    expect(Number(list.newStartPageToken)).toBeGreaterThan(Number(start));
    const meta = (await drive.files.get({ fileId: documentId, fields: 'id,version,mimeType' }, auth())).data;
    expect(meta).toEqual({
      id: documentId,
      version: expect.any(String),
      mimeType: 'application/vnd.google-apps.document',
    });
  });
});
