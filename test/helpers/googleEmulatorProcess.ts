import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { emulatorControl } from './emulatorControl.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The Google emulator as its own process (`npm run emulator:google`), with its control API. */
export interface GoogleEmulatorProcess {
  url: string;
  tokenUrl: string;
  child: ChildProcess;
  control<T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startGoogleEmulatorProcess(args: string[] = []): Promise<GoogleEmulatorProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/emulators/google/main.ts'), '--port', '0', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url, tokenUrl } = await new Promise<{ url: string; tokenUrl: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"listening"')) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`the Google emulator exited with ${code}`)));
  });
  return {
    url,
    tokenUrl,
    child,
    control: emulatorControl(url),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
