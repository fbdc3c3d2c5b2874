/**
 * Where the managed policy lives on each OS, and reading it. A missing file means no policy; a file that is
 * there but unreadable or invalid stops the node (fail closed), with an error naming the file and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ManagedPolicyRules, type ManagedPolicy } from './managed-policy-schema.ts';

export interface PolicyEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
}

const currentEnvironment = (): PolicyEnvironment => ({ env: process.env, platform: process.platform });

/** ACCORD_POLICY_FILE when set (tests, unusual installs); otherwise the OS's machine-wide place. */
export function managedPolicyPath(environment: PolicyEnvironment = currentEnvironment()): string {
  const { env, platform } = environment;
  if (env.ACCORD_POLICY_FILE) return env.ACCORD_POLICY_FILE;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Accord', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Accord/policy.json';
  return '/etc/accord/policy.json';
}

export class ManagedPolicyFileError extends Error {
  constructor(file: string, problem: string) {
    super(`the managed policy ${file} is not valid: ${problem}`);
    this.name = 'ManagedPolicyFileError';
  }
}

const fieldName = (path: readonly PropertyKey[]) => (path.length > 0 ? path.map(String).join('.') : '(the whole file)');

/** One phrase per wrong field; a misspelt field is named by its own path, not by the object holding it. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${fieldName([...issue.path, key])}: not a field of the policy`)
        : [`${fieldName(issue.path)}: ${issue.message}`],
    )
    .join('; ');
}

/** The policy in `text`, checked; `file` names it in every error. */
export function parseManagedPolicy(file: string, text: string): ManagedPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManagedPolicyFileError(file, `not JSON (${(error as Error).message})`);
  }
  const checked = ManagedPolicyRules.safeParse(json);
  if (!checked.success) throw new ManagedPolicyFileError(file, describeIssues(checked.error));
  return { ...checked.data, file };
}

/** The machine's policy, or undefined when IT has deployed none. ACCORD_POLICY_FILE naming no file is an error. */
export function readManagedPolicy(environment: PolicyEnvironment = currentEnvironment()): ManagedPolicy | undefined {
  const file = managedPolicyPath(environment);
  if (!existsSync(file)) {
    if (environment.env.ACCORD_POLICY_FILE) throw new ManagedPolicyFileError(file, 'ACCORD_POLICY_FILE names no file');
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManagedPolicyFileError(file, `it cannot be read (${(error as Error).message})`);
  }
  return parseManagedPolicy(file, text);
}
