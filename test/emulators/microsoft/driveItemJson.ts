import { cTagOf, type Drive, type DriveItem, eTagOf } from './graphState.ts';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The item's web address in its library (what a browser shows for the file itself). */
export function webUrlOf(drive: Drive, item: DriveItem): string {
  return `${drive.webUrl}/${encodeURIComponent(item.name)}`;
}

/** The address Word for the web opens it at (`Doc.aspx?sourcedoc={uniqueId}`), as users copy it. */
export function browserUrlOf(drive: Drive, item: DriveItem): string {
  const site = new URL(drive.webUrl);
  const sitePath = site.pathname.split('/').slice(0, 3).join('/');
  return `${site.origin}/:w:/r${sitePath}/_layouts/15/Doc.aspx?sourcedoc=%7B${item.uniqueId}%7D&file=${encodeURIComponent(item.name)}&action=default&mobileredirect=true`;
}

/** A driveItem resource as Graph v1.0 returns it for a file (reference D). */
export function driveItemJson(
  drive: Drive,
  item: DriveItem,
  graphUrl: string,
  downloadUrl?: string,
): Record<string, unknown> {
  return {
    '@odata.context': `${graphUrl}/v1.0/$metadata#drives('${drive.id}')/items/$entity`,
    ...(downloadUrl ? { '@microsoft.graph.downloadUrl': downloadUrl } : {}),
    createdDateTime: item.createdDateTime,
    eTag: eTagOf(item),
    id: item.id,
    lastModifiedDateTime: item.lastModifiedDateTime,
    name: item.name,
    webUrl: webUrlOf(drive, item),
    cTag: cTagOf(item),
    size: item.content.byteLength,
    lastModifiedBy: item.lastModifiedBy,
    parentReference: {
      driveType: drive.driveType,
      driveId: drive.id,
      id: 'root',
      path: `/drives/${drive.id}/root:`,
    },
    file: { mimeType: DOCX_MIME },
    fileSystemInfo: {
      createdDateTime: item.createdDateTime,
      lastModifiedDateTime: item.lastModifiedDateTime,
    },
  };
}

/** A deleted item as the delta feed reports it. */
export function deletedItemJson(drive: Drive, item: DriveItem): Record<string, unknown> {
  return {
    id: item.id,
    name: item.name,
    deleted: { state: 'deleted' },
    parentReference: { driveType: drive.driveType, driveId: drive.id, id: 'root' },
  };
}
