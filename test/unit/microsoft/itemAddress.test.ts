import { describe, expect, it } from 'vitest';
import { microsoftCredentialBody } from '../../../connectors/microsoft/credentials.ts';
import {
  canonicalRemoteId,
  itemAddress,
  microsoftRemoteId,
} from '../../../connectors/microsoft/itemAddress.ts';

const shareOf = (url: string) => `shares/u!${Buffer.from(url).toString('base64url')}`;

describe('Microsoft file addresses: parsed, never fetched', () => {
  it('turns SharePoint and OneDrive for Business addresses into a /shares id (u! + base64url, no padding)', () => {
    const sharing = 'https://contoso.sharepoint.com/:w:/s/Policy/EaBcdEfGhIjKlMnOpQrStUv?e=x1Y2z3';
    expect(microsoftRemoteId(sharing)).toBe(shareOf(sharing));
    expect(microsoftRemoteId(sharing)).not.toMatch(/[=+/]$|[+]/);
    const word =
      'https://contoso.sharepoint.com/:w:/r/sites/Policy/_layouts/15/Doc.aspx?sourcedoc=%7BABC%7D&file=a.docx';
    expect(microsoftRemoteId(word)).toBe(shareOf(word));
    const oneDrive = 'https://contoso-my.sharepoint.com/personal/ada_contoso_com/Documents/Plan.docx#top';
    expect(microsoftRemoteId(oneDrive)).toBe(shareOf(oneDrive.replace('#top', '')));
    expect(microsoftRemoteId('https://agency.sharepoint.us/:w:/s/X/Eabc')).toMatch(/^shares\/u!/);
  });

  it('takes a drive id and item id, bare or as a Graph address, as the canonical id', () => {
    expect(microsoftRemoteId('b!AbC-d_e/01ABCDEF')).toBe('drives/b!AbC-d_e/items/01ABCDEF');
    expect(microsoftRemoteId('https://graph.microsoft.com/v1.0/drives/b!x/items/01Y')).toBe(
      'drives/b!x/items/01Y',
    );
    expect(itemAddress(canonicalRemoteId('b!x', '01Y'))).toEqual({ driveId: 'b!x', itemId: '01Y' });
    expect(itemAddress(shareOf('https://contoso.sharepoint.com/x'))).toBeNull();
  });

  it('refuses what is not a Microsoft 365 file address', () => {
    for (const input of [
      'http://contoso.sharepoint.com/:w:/s/Policy/Eabc',
      'https://contoso.sharepoint.com.evil.example/:w:/s/P/E',
      'https://evil.example/?u=contoso.sharepoint.com',
      'https://user:pw@contoso.sharepoint.com/x',
      'https://onedrive.live.com/edit?id=1',
      'https://graph.evil.example/v1.0/drives/a/items/b',
      'https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit',
      'file:///etc/passwd',
      'b!x/01Y/extra',
      '',
    ]) {
      expect(microsoftRemoteId(input), input).toBeNull();
    }
  });
});

describe('Microsoft credential bodies', () => {
  const base = {
    tenantId: '6e1f2a3b-0c4d-4e5f-8a9b-0c1d2e3f4a5b',
    clientId: '0f9e8d7c-6b5a-4938-a726-150493827160',
  };

  it('need exactly one of a client secret or a certificate with its private key, and https endpoints', () => {
    expect(microsoftCredentialBody.safeParse({ ...base, clientSecret: 's' }).success).toBe(true);
    expect(microsoftCredentialBody.safeParse(base).success).toBe(false);
    expect(microsoftCredentialBody.safeParse({ ...base, clientSecret: 's', certificate: 'x' }).success).toBe(
      false,
    );
    expect(
      microsoftCredentialBody.safeParse({ ...base, certificate: '-----BEGIN CERTIFICATE-----' }).success,
    ).toBe(false);
    const parsed = microsoftCredentialBody.parse({
      ...base,
      clientSecret: 's',
      endpoints: { graph: 'https://graph.microsoft.us/', login: 'https://login.microsoftonline.us' },
    });
    expect(parsed.endpoints).toEqual({
      graph: 'https://graph.microsoft.us',
      login: 'https://login.microsoftonline.us',
    });
    expect(
      microsoftCredentialBody.safeParse({
        ...base,
        clientSecret: 's',
        endpoints: { graph: 'http://127.0.0.1:1' },
      }).success,
    ).toBe(false);
    expect(microsoftCredentialBody.safeParse({ ...base, tenantId: '../x', clientSecret: 's' }).success).toBe(
      false,
    );
  });
});
