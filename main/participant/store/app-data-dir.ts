/**
 * Where the participant keeps its database: the user's application-data folder of each OS,
 * overridable by ACCORD_HOME (servers, tests) and by an explicit argument.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AppDataEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly home: string;
}

const currentEnvironment = (): AppDataEnvironment => ({
  env: process.env,
  platform: process.platform,
  home: homedir(),
});

export function resolveAccordHome(override?: string, environment: AppDataEnvironment = currentEnvironment()): string {
  if (override) return override;
  const { env, platform, home } = environment;
  if (env.ACCORD_HOME) return env.ACCORD_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Accord');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Accord');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'accord');
}
