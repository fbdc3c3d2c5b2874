/**
 * `accord participant enrol --federation NAME`: the coordinator, CA and client certificate of a federation that
 * IT set up in the managed policy file, so that a site enrols with only the invitation token.
 */
import { readManagedPolicy } from '../../main/participant/policy/managed-policy-file.ts';
import type { PresetFederation } from '../../main/participant/policy/managed-policy-schema.ts';
import { UsageError } from '../command-line/usage-error.ts';

export interface EnrolmentSources {
  readonly coordinator: string;
  readonly ca: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
}

function presetNamed(name: string): PresetFederation {
  const policy = readManagedPolicy();
  if (!policy) throw new UsageError(`--federation: no managed policy file sets federations on this machine`);
  const preset = policy.federations.find((federation) => federation.name === name);
  if (preset) return preset;
  const names = policy.federations.map((federation) => `"${federation.name}"`).join(', ') || 'none';
  throw new UsageError(`--federation: the managed policy ${policy.file} has no federation "${name}" (it has ${names})`);
}

/** Where the enrolment's address and files come from: the preset named, or the options typed. */
export function enrolmentSources(values: {
  federation?: string;
  coordinator?: string;
  ca?: string;
  'client-cert'?: string;
  'client-key'?: string;
}): Partial<EnrolmentSources> {
  if (values.federation === undefined)
    return {
      coordinator: values.coordinator,
      ca: values.ca,
      clientCert: values['client-cert'],
      clientKey: values['client-key'],
    };
  const typed = (['coordinator', 'ca', 'client-cert', 'client-key'] as const).filter(
    (key) => values[key] !== undefined,
  );
  if (typed.length > 0)
    throw new UsageError(`--federation takes the address and files from the policy: drop --${typed.join(', --')}`);
  const preset = presetNamed(values.federation);
  return {
    coordinator: preset.coordinator,
    ca: preset.caFile,
    clientCert: preset.clientCertificate?.certFile,
    clientKey: preset.clientCertificate?.keyFile,
  };
}
