import { googleSuite } from './google/suite.ts';
import { microsoftSuite } from './microsoft/suite.ts';
import type { Suite } from './sync/suite.ts';

/** Every suite this server speaks. Adding one is its folder (`connectors/<suite>/suite.ts`) and one line here. */
export const suites: readonly Suite[] = [googleSuite, microsoftSuite];

/** The suite of a provider id, or undefined when the server does not speak it. */
export function suiteFor(provider: string): Suite | undefined {
  return suites.find((suite) => suite.provider === provider);
}
