/**
 * `accord privacy epsilon | noise`: the accountant for data protection officers, one JSON line per answer.
 *   accord privacy epsilon --noise-multiplier S --sample-rate Q --steps T --delta D [--orders a,b,…]
 *     → {"epsilon":…,"order":…}   (a warning on stderr when the best order is at an end of the list)
 *   accord privacy noise --target-epsilon E --delta D --sample-rate Q --steps T [--orders a,b,…]
 *     → {"noise_multiplier":…}   (stderr says the ε that noise actually spends, never above the target)
 * Flags are checked here so that errors name the flag a person typed.
 */
import { epsilonFor } from '../engine/privacy/accountant.ts';
import { noiseMultiplierFor } from '../engine/privacy/calibration.ts';
import { parseCommandLine } from './command-line/parse-command-line.ts';
import { UsageError } from './command-line/usage-error.ts';
import {
  validateDelta,
  validateNoiseMultiplier,
  validateSampleRate,
  validateSteps,
} from '../engine/privacy/validation.ts';

type Values = Record<string, string | boolean | undefined>;

function numberOption(values: Values, name: string, validate?: (value: number, label: string) => void): number {
  const raw = values[name];
  if (typeof raw !== 'string') throw new UsageError(`--${name} is required`);
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number (got "${raw}")`);
  try {
    validate?.(value, `--${name}`);
  } catch (error) {
    // An out-of-range value is a malformed option, not a failure of the accountant.
    throw new UsageError((error as Error).message);
  }
  return value;
}

function ordersOption(values: Values): number[] | undefined {
  const raw = values.orders;
  if (typeof raw !== 'string') return undefined;
  return raw.split(',').map((part, index) => {
    const order = Number(part);
    if (part.trim() === '' || Number.isNaN(order))
      throw new UsageError(`--orders item ${index + 1} is not a number ("${part}")`);
    return order;
  });
}

const stringOptions = (...names: string[]) =>
  Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));

interface Answer {
  readonly line: Record<string, number>;
  readonly note?: string;
}

function runEpsilon(argv: string[]): Answer {
  const { values } = parseCommandLine(
    argv,
    stringOptions('noise-multiplier', 'sample-rate', 'steps', 'delta', 'orders'),
  );
  const step = {
    noiseMultiplier: numberOption(values, 'noise-multiplier', validateNoiseMultiplier),
    sampleRate: numberOption(values, 'sample-rate', validateSampleRate),
    steps: numberOption(values, 'steps', validateSteps),
  };
  const delta = numberOption(values, 'delta', validateDelta);
  const { epsilon, order, warning } = epsilonFor([step], delta, ordersOption(values));
  return warning === undefined ? { line: { epsilon, order } } : { line: { epsilon, order }, note: warning };
}

function runNoise(argv: string[]): Answer {
  const { values } = parseCommandLine(argv, stringOptions('target-epsilon', 'sample-rate', 'steps', 'delta', 'orders'));
  const orders = ordersOption(values);
  const { noiseMultiplier, epsilon } = noiseMultiplierFor({
    targetEpsilon: numberOption(values, 'target-epsilon'),
    delta: numberOption(values, 'delta', validateDelta),
    sampleRate: numberOption(values, 'sample-rate', validateSampleRate),
    steps: numberOption(values, 'steps', validateSteps),
    ...(orders ? { orders } : {}),
  });
  return { line: { noise_multiplier: noiseMultiplier }, note: `this noise multiplier spends ε = ${epsilon}` };
}

function print(answer: Answer): void {
  if (answer.note) process.stderr.write(`accord privacy: ${answer.note}\n`);
  process.stdout.write(`${JSON.stringify(answer.line)}\n`);
}

/** `accord privacy epsilon`: writes one JSON line, or throws with a message that names the problem. */
export async function runPrivacyEpsilon(argv: string[]): Promise<void> {
  print(runEpsilon(argv));
}

/** `accord privacy noise`: writes one JSON line, or throws with a message that names the problem. */
export async function runPrivacyNoise(argv: string[]): Promise<void> {
  print(runNoise(argv));
}
