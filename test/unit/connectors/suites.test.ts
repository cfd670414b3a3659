import { describe, expect, it } from 'vitest';
import { suiteFor, suites } from '../../../connectors/suites.ts';
import { suiteView } from '../../../server/http/routes/suites.ts';

describe('suite descriptors', () => {
  it('lists each provider once and finds it by id', () => {
    const ids = suites.map((suite) => suite.provider);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(suiteFor(id)?.provider).toBe(id);
    expect(suiteFor('nope')).toBeUndefined();
  });

  it('parses Google addresses without fetching them and builds the browser address back', () => {
    const google = suiteFor('google')!;
    const id = '1AbCdEfGhIjKlMnOp';
    expect(google.parseUrl(`https://docs.google.com/document/u/1/d/${id}/edit`)).toBe(id);
    expect(google.parseUrl(id)).toBe(id);
    expect(google.parseUrl('https://example.com/document/d/1AbCdEfGhIjKlMnOp/edit')).toBeNull();
    expect(google.parseUrl(google.browserUrl(id))).toBe(id);
    expect(new RegExp(google.url.pattern).test(google.browserUrl(id))).toBe(true);
  });

  it('validates a credential body and keeps the secret out of the metadata', () => {
    const google = suiteFor('google')!;
    const body = google.credential.schema.safeParse({
      oauth: { clientId: 'client', clientSecret: 'very-secret', refreshToken: 'refresh-secret' },
    });
    expect(body.success).toBe(true);
    const stored = google.credential.store(body.data);
    expect(JSON.stringify(stored.metadata)).not.toContain('secret');
    expect(JSON.stringify(stored.secret)).toContain('refresh-secret');
    expect(google.credential.schema.safeParse({}).success).toBe(false);
  });

  it('describes suites for forms without anything secret or executable', () => {
    const view = suiteView(suiteFor('google')!);
    expect(view).toMatchObject({ provider: 'google', label: 'Google Docs', webhook: true });
    expect(view.credential.fields.map((field) => field.name)).toContain('serviceAccountKey');
    // Every field that belongs to an alternative names one the form offers.
    for (const suite of suites) {
      const { choice, fields } = suiteView(suite).credential;
      const options = new Set(choice?.options.map((option) => option.value));
      for (const field of fields) if (field.option) expect(options).toContain(field.option);
    }
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('authenticates webhook notifications by their channel, and polls only on a change', async () => {
    const webhook = suiteFor('google')!.webhook!;
    const seen: { channelId: string; token: string; poll: boolean }[] = [];
    const channels = {
      notified(channelId: string, token: string, { poll }: { poll: boolean }) {
        seen.push({ channelId, token, poll });
        return channelId === 'known';
      },
    };
    const post = (headers: Record<string, string>) =>
      webhook.handler(new Request('http://x/hooks', { method: 'POST', headers }), channels);
    const ok = await post({
      'x-goog-channel-id': 'known',
      'x-goog-channel-token': 't',
      'x-goog-resource-state': 'change',
    });
    expect(ok.status).toBe(200);
    const sync = await post({ 'x-goog-channel-id': 'known', 'x-goog-resource-state': 'sync' });
    expect(sync.status).toBe(200);
    const forged = await post({ 'x-goog-channel-id': 'other', 'x-goog-channel-token': 't' });
    expect(forged.status).toBe(403);
    expect(seen.map((s) => s.poll)).toEqual([true, false, true]);
  });
});
