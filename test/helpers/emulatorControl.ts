/**
 * An emulator's test-only control API at `baseUrl` (`/control/*`): JSON in, JSON out, a failure thrown with the
 * status and body. Shared by the Google and Graph emulators' helpers.
 */
export function emulatorControl(baseUrl: string) {
  return async <T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<T>;
  };
}
