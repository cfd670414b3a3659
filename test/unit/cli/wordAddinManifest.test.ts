import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OfficeAddinManifest } from 'office-addin-manifest';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../bin/commands/io.ts';
import { main } from '../../../bin/docbridge.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'docbridge-addin-manifest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CLIENT_ID = '5b0c6c1e-2f7d-4a8e-9c3b-7d1e2f3a4b5c';

function io(): CliIo & { stdout: () => string; warnings: string[] } {
  const chunks: Uint8Array[] = [];
  const warnings: string[] = [];
  return {
    readStdin: async () => new Uint8Array(),
    writeStdout: async (bytes) => {
      chunks.push(bytes);
    },
    warn: (line) => warnings.push(line),
    env: {},
    stdout: () => Buffer.concat(chunks).toString('utf8'),
    warnings,
  };
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** The manifest as a tree (names with their prefix), for checks the offline parser does not make. */
function parseTree(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let rootElement: XmlElement | null = null;
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      name: tag.name,
      attributes: tag.attributes as Record<string, string>,
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    rootElement ??= element;
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text.trim();
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  return rootElement!;
}

const child = (element: XmlElement, name: string) => {
  const found = element.children.find((c) => c.name === name);
  if (!found) throw new Error(`<${element.name}> has no <${name}>`);
  return found;
};
const all = (element: XmlElement): XmlElement[] => [element, ...element.children.flatMap(all)];

describe('docbridge word-addin manifest', () => {
  it('writes an add-in-only manifest that office-addin-manifest reads as a Word task pane add-in', async () => {
    const file = path.join(work, 'manifest.xml');
    const cli = io();
    const code = await main(
      [
        'word-addin',
        'manifest',
        '--url',
        'https://docs.dept.example.gov',
        '--client-id',
        CLIENT_ID,
        '--app-domain',
        'https://login.microsoftonline.com',
        '--out',
        file,
      ],
      cli,
    );
    expect(code, cli.warnings.join('\n')).toBe(0);
    // office-addin-manifest's `validate` posts XML manifests to Microsoft's validation service
    // (validationgateway.omex.office.net, lib/validate.js); its offline path is `readManifestFile`, which parses
    // the XML and reads the fields Office needs. The structure the service's schema checks is asserted below.
    const info = await OfficeAddinManifest.readManifestFile(file);
    expect(info.officeAppType).toBe('TaskPaneApp');
    expect(info.hosts).toEqual(['Document']);
    expect(info.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(info.version).toBe('1.0.0.0');
    expect(info.displayName).toBe('Docbridge');
    expect(info.permissions).toBe('ReadWriteDocument');
    expect(info.defaultSettings?.sourceLocation).toBe(
      `https://docs.dept.example.gov/word-addin/taskpane.html?clientId=${CLIENT_ID}`,
    );
    expect(info.iconUrl).toBe('https://docs.dept.example.gov/word-addin/icon-32.png');
    expect(info.highResolutionIconUrl).toBe('https://docs.dept.example.gov/word-addin/icon-64.png');
    expect(info.appDomains).toEqual(['https://login.microsoftonline.com']);

    const tree = parseTree(readFileSync(file, 'utf8'));
    expect(tree.attributes.xmlns).toBe('http://schemas.microsoft.com/office/appforoffice/1.1');
    // The OfficeApp schema is a sequence: its elements must come in this order.
    const order = [
      'Id',
      'Version',
      'ProviderName',
      'DefaultLocale',
      'DisplayName',
      'Description',
      'IconUrl',
      'HighResolutionIconUrl',
      'SupportUrl',
      'AppDomains',
      'Hosts',
      'Requirements',
      'DefaultSettings',
      'Permissions',
      'VersionOverrides',
    ];
    expect(tree.children.map((c) => c.name)).toEqual(order);
    const sets = child(child(tree, 'Requirements'), 'Sets').children;
    expect(sets.map((s) => s.attributes)).toEqual([{ Name: 'WordApi', MinVersion: '1.3' }]);

    const overrides = child(tree, 'VersionOverrides');
    expect(overrides.attributes['xsi:type']).toBe('VersionOverridesV1_0');
    expect(overrides.children.map((c) => c.name)).toEqual(['Hosts', 'Resources', 'WebApplicationInfo']);
    const sso = child(overrides, 'WebApplicationInfo');
    expect(child(sso, 'Id').text).toBe(CLIENT_ID);
    expect(child(sso, 'Resource').text).toBe(`api://docs.dept.example.gov/${CLIENT_ID}`);
    expect(child(sso, 'Scopes').children.map((s) => s.text)).toContain('openid');

    // Every resid points at a resource, every resource is used, and every icon is one the server serves.
    const resources = all(child(overrides, 'Resources')).filter((e) => e.attributes.id);
    const ids = new Set(resources.map((e) => e.attributes.id));
    const used = new Set(
      all(child(overrides, 'Hosts'))
        .map((e) => e.attributes.resid)
        .filter(Boolean),
    );
    expect([...used].filter((id) => !ids.has(id!))).toEqual([]);
    expect([...ids].filter((id) => !used.has(id))).toEqual([]);
    const urls = all(tree)
      .flatMap((e) => [e.attributes.DefaultValue ?? ''])
      .filter((v) => v.startsWith('https://docs.dept.example.gov/word-addin/icon-'));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      const name = url.slice('https://docs.dept.example.gov/word-addin/'.length);
      expect(existsSync(path.join(root, 'client/word-addin/icons', name)), name).toBe(true);
    }
  });

  it('keeps the add-in id across regenerations for the same server, and prints to standard output', async () => {
    const run = async (url: string) => {
      const cli = io();
      expect(await main(['word-addin', 'manifest', '--url', url, '--client-id', CLIENT_ID], cli)).toBe(0);
      return child(parseTree(cli.stdout()), 'Id').text;
    };
    const first = await run('https://docs.dept.example.gov');
    expect(await run('https://docs.dept.example.gov/')).toBe(first);
    expect(await run('https://other.dept.example.gov')).not.toBe(first);
  });

  it('refuses what Office would not load, as a usage mistake', async () => {
    const refused = async (args: string[]) => {
      const cli = io();
      const code = await main(['word-addin', 'manifest', ...args], cli);
      return { code, message: cli.warnings.join('\n') };
    };
    expect(await refused(['--url', 'http://docs.example.gov', '--client-id', CLIENT_ID])).toMatchObject({
      code: 2,
      message: expect.stringContaining('--url must be an https URL'),
    });
    expect(await refused(['--url', 'https://docs.example.gov', '--client-id', 'not-a-guid'])).toMatchObject({
      code: 2,
      message: expect.stringContaining('--client-id must be a GUID'),
    });
    expect(await refused(['--url', 'https://docs.example.gov'])).toMatchObject({ code: 2 });
  });
});
