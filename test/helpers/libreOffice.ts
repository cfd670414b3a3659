import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Converts `files` with LibreOffice (`soffice --headless --convert-to FILTER`) into `outdir`, in one process
 * with a private profile under `work` (so parallel test files never share one). LibreOffice is slow: pass
 * every file of a test in one call. Throws when soffice fails or exceeds `timeoutMs`.
 */
export function libreOfficeConvert(
  work: string,
  filter: string,
  outdir: string,
  files: string[],
  timeoutMs = 300_000,
): void {
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${path.join(work, 'profile')}`,
      '--headless',
      '--convert-to',
      filter,
      '--outdir',
      outdir,
      ...files,
    ],
    { stdio: 'ignore', timeout: timeoutMs },
  );
}
