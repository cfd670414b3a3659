import { createHash } from 'node:crypto';
import { addinApplicationIdUri } from '../../connectors/microsoft/addinApi.ts';

/** What an add-in-only manifest for one Docbridge server is made of. */
export interface AddinManifestOptions {
  /** The server's public https URL (where `/word-addin/taskpane.html` is served). */
  url: string;
  /** The add-in's Entra app registration (SSO's `WebApplicationInfo/Id`). */
  clientId: string;
  /** The add-in's own id; by default derived from the URL, so a regenerated manifest updates the same add-in. */
  id?: string;
  /** Extra domains the add-in navigates to (AppDomains). */
  appDomains?: string[];
  /** `Version` (four numbers): raise it when the manifest changes for an admin-deployed update. */
  version?: string;
}

/** A refused option, naming it (the CLI prints it as a usage mistake). */
export class ManifestOptionError extends Error {
  override readonly name = 'ManifestOptionError';
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Graph scopes the add-in's users consent to: their identity, and the files they open (on-behalf-of). */
export const addinScopes = ['openid', 'profile', 'Files.Read.All'];

/** Microsoft's requirement set floor: WordApi 1.3 (the add-in uses 1.6 events when the host has them). */
export const wordApiMinimum = '1.3';

/** A stable GUID for `seed` (name-based, UUID version 5 layout over SHA-1). */
function stableGuid(seed: string): string {
  const bytes = createHash('sha1').update(`docbridge-word-addin:${seed}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The origin of an https URL, refused with the option's name otherwise (Office loads add-ins over https only). */
function httpsOrigin(value: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ManifestOptionError(`${option} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:') throw new ManifestOptionError(`${option} must be an https URL`);
  return url;
}

/**
 * The add-in-only XML manifest (`TaskPaneApp`, Word) for the Docbridge server at `options.url`: the task pane
 * and icons served by that server, a "Docbridge" button on Word's Home tab, WordApi 1.3 as the minimum
 * requirement, and SSO through `WebApplicationInfo` (the add-in's client id, and the Application ID URI
 * `api://<server host>/<client id>` Office requires for SSO on the web). What an M365 admin uploads under
 * Integrated apps (docs/word-addin.md).
 */
export function addinManifest(options: AddinManifestOptions): string {
  const server = httpsOrigin(options.url, '--url');
  const base = `${server.origin}${server.pathname.replace(/\/+$/, '')}`;
  if (!guid.test(options.clientId)) throw new ManifestOptionError('--client-id must be a GUID');
  const id = options.id ?? stableGuid(base);
  if (!guid.test(id)) throw new ManifestOptionError('--id must be a GUID');
  const version = options.version ?? '1.0.0.0';
  if (!/^\d{1,5}(\.\d{1,5}){3}$/.test(version)) {
    throw new ManifestOptionError('--version must be four numbers, e.g. 1.0.0.0');
  }
  const domains = (options.appDomains ?? []).map((domain) => httpsOrigin(domain, '--app-domain').origin);
  const x = escapeXml;
  const icon = (size: number) => x(`${base}/word-addin/icon-${size}.png`);
  // The pane passes the client id on to its sign-in dialog (the fallback when SSO is unavailable), which asks
  // the server for that registration's tenant and authority: one server may serve several departments.
  const pane = x(`${base}/word-addin/taskpane.html?clientId=${options.clientId}`);
  const images = (indent: string) =>
    [16, 32, 80].map((size) => `${indent}<bt:Image size="${size}" resid="Icon.${size}"/>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0" xmlns:ov="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="TaskPaneApp">
  <Id>${x(id)}</Id>
  <Version>${version}</Version>
  <ProviderName>Docbridge</ProviderName>
  <DefaultLocale>en-US</DefaultLocale>
  <DisplayName DefaultValue="Docbridge"/>
  <Description DefaultValue="Edit this document live with colleagues in Docbridge and Google Docs."/>
  <IconUrl DefaultValue="${icon(32)}"/>
  <HighResolutionIconUrl DefaultValue="${icon(64)}"/>
  <SupportUrl DefaultValue="${x(`${base}/`)}"/>
${domains.length ? `  <AppDomains>\n${domains.map((d) => `    <AppDomain>${x(d)}</AppDomain>`).join('\n')}\n  </AppDomains>\n` : ''}  <Hosts>
    <Host Name="Document"/>
  </Hosts>
  <Requirements>
    <Sets DefaultMinVersion="1.1">
      <Set Name="WordApi" MinVersion="${wordApiMinimum}"/>
    </Sets>
  </Requirements>
  <DefaultSettings>
    <SourceLocation DefaultValue="${pane}"/>
  </DefaultSettings>
  <Permissions>ReadWriteDocument</Permissions>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="VersionOverridesV1_0">
    <Hosts>
      <Host xsi:type="Document">
        <DesktopFormFactor>
          <GetStarted>
            <Title resid="GetStarted.Title"/>
            <Description resid="GetStarted.Description"/>
            <LearnMoreUrl resid="Support.Url"/>
          </GetStarted>
          <ExtensionPoint xsi:type="PrimaryCommandSurface">
            <OfficeTab id="TabHome">
              <Group id="Docbridge.Group">
                <Label resid="Group.Label"/>
                <Icon>
${images('                  ')}
                </Icon>
                <Control xsi:type="Button" id="Docbridge.OpenPane">
                  <Label resid="Button.Label"/>
                  <Supertip>
                    <Title resid="Button.Label"/>
                    <Description resid="Button.Tooltip"/>
                  </Supertip>
                  <Icon>
${images('                    ')}
                  </Icon>
                  <Action xsi:type="ShowTaskpane">
                    <TaskpaneId>Docbridge.TaskPane</TaskpaneId>
                    <SourceLocation resid="TaskPane.Url"/>
                  </Action>
                </Control>
              </Group>
            </OfficeTab>
          </ExtensionPoint>
        </DesktopFormFactor>
      </Host>
    </Hosts>
    <Resources>
      <bt:Images>
${[16, 32, 80].map((size) => `        <bt:Image id="Icon.${size}" DefaultValue="${icon(size)}"/>`).join('\n')}
      </bt:Images>
      <bt:Urls>
        <bt:Url id="TaskPane.Url" DefaultValue="${pane}"/>
        <bt:Url id="Support.Url" DefaultValue="${x(`${base}/`)}"/>
      </bt:Urls>
      <bt:ShortStrings>
        <bt:String id="GetStarted.Title" DefaultValue="Docbridge is ready"/>
        <bt:String id="Group.Label" DefaultValue="Docbridge"/>
        <bt:String id="Button.Label" DefaultValue="Docbridge"/>
      </bt:ShortStrings>
      <bt:LongStrings>
        <bt:String id="GetStarted.Description" DefaultValue="Open Docbridge from the Home tab to edit this document live with colleagues."/>
        <bt:String id="Button.Tooltip" DefaultValue="Show who is editing this document and keep it in step with Docbridge."/>
      </bt:LongStrings>
    </Resources>
    <WebApplicationInfo>
      <Id>${x(options.clientId)}</Id>
      <Resource>${x(addinApplicationIdUri(server.href, options.clientId))}</Resource>
      <Scopes>
${addinScopes.map((scope) => `        <Scope>${scope}</Scope>`).join('\n')}
      </Scopes>
    </WebApplicationInfo>
  </VersionOverrides>
</OfficeApp>
`;
}
