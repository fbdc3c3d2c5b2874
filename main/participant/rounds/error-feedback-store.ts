/**
 * The error-feedback residual of compressed updates, per federation, in the participant's database so that
 * it outlives a restart. Preparing a round stores the residual it would leave (with the approved bytes);
 * only when that round is receipted does it become the federation's residual, the one the next round adds
 * to its update. A declined or failed round sent nothing, so it leaves the federation's residual as it was.
 *
 * Privacy: the residual is (noised update + previous residual) − what was sent, computed only from updates
 * that DP-SGD has already noised, so keeping it and sending it later is post-processing of DP outputs and
 * costs no ε (docs/privacy.md). It must never be computed from anything taken before the noise.
 */
import { elementCount, totalElements } from '../../../engine/tensor/parameter-set.ts';
import type { TensorSpec } from '../../../engine/tensor/parameter-set.ts';
import type { ErrorFeedback } from '../../../engine/codec/update-codec.ts';
import type { ParticipantLog } from '../logging/participant-log.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';

interface ResidualRow {
  round_key: string;
  model_spec: string;
  residual: Buffer;
}

/** The spec as stored and compared: names and shapes in order, nothing else. */
function specKey(spec: readonly TensorSpec[]): string {
  return JSON.stringify(spec.map(({ name, shape }) => ({ name, shape: [...shape] })));
}

/** The residual's tensors in spec order as one float32 blob. */
function residualToBlob(spec: readonly TensorSpec[], residual: ErrorFeedback): Buffer {
  const flat = new Float32Array(totalElements(spec));
  let offset = 0;
  for (const { name, shape } of spec) {
    const values = residual.get(name);
    if (values && values.length !== elementCount(shape)) {
      throw new Error(
        `error feedback for tensor "${name}" has ${values.length} values, the spec ${elementCount(shape)}`,
      );
    }
    if (values) flat.set(values, offset);
    offset += elementCount(shape);
  }
  return Buffer.from(flat.buffer);
}

function residualFromBlob(spec: readonly TensorSpec[], blob: Buffer): ErrorFeedback {
  const flat = new Float32Array(new Uint8Array(blob).buffer);
  if (flat.length !== totalElements(spec)) {
    throw new Error(`stored error feedback has ${flat.length} values, its model spec ${totalElements(spec)}`);
  }
  const residual: ErrorFeedback = new Map();
  let offset = 0;
  for (const { name, shape } of spec) {
    residual.set(name, flat.slice(offset, offset + elementCount(shape)));
    offset += elementCount(shape);
  }
  return residual;
}

export class ErrorFeedbackStore {
  private readonly db: SqliteDatabase;
  private readonly log: ParticipantLog;
  constructor(db: SqliteDatabase, log: ParticipantLog) {
    this.db = db;
    this.log = log;
  }

  /**
   * The residual of the federation's last receipted round. One kept for another model spec (a new job)
   * cannot be added to this model's update: it is discarded, with a log line saying so.
   */
  current(federationId: string, spec: readonly TensorSpec[]): ErrorFeedback | undefined {
    const row = this.db
      .prepare('SELECT round_key, model_spec, residual FROM error_feedback WHERE federation_id = ? AND sent = 1')
      .get(federationId) as ResidualRow | undefined;
    if (!row) return undefined;
    if (row.model_spec !== specKey(spec)) {
      this.db.prepare('DELETE FROM error_feedback WHERE round_key = ?').run(row.round_key);
      this.log.info('error feedback discarded: the model spec changed', { federationId, roundKey: row.round_key });
      return undefined;
    }
    return residualFromBlob(spec, row.residual);
  }

  /** The residual a prepared round leaves if it is sent (call inside the round's transition). */
  savePrepared(roundKey: string, federationId: string, spec: readonly TensorSpec[], residual: ErrorFeedback): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO error_feedback (round_key, federation_id, model_spec, residual, sent, created_at)
        VALUES (?, ?, ?, ?, 0, ?)`,
      )
      .run(roundKey, federationId, specKey(spec), residualToBlob(spec, residual), new Date().toISOString());
  }

  /** The round's bytes reached the coordinator: its residual replaces the federation's (inside a transition). */
  markSent(roundKey: string, federationId: string): void {
    const prepared = this.db.prepare('SELECT 1 FROM error_feedback WHERE round_key = ?').get(roundKey);
    if (!prepared) return;
    this.db
      .prepare('DELETE FROM error_feedback WHERE federation_id = ? AND round_key != ?')
      .run(federationId, roundKey);
    this.db.prepare('UPDATE error_feedback SET sent = 1 WHERE round_key = ?').run(roundKey);
  }

  /** The residual a round left or would leave, whether or not it was sent. */
  ofRound(roundKey: string, spec: readonly TensorSpec[]): ErrorFeedback | undefined {
    const row = this.db.prepare('SELECT residual FROM error_feedback WHERE round_key = ?').get(roundKey) as
      Pick<ResidualRow, 'residual'> | undefined;
    return row && residualFromBlob(spec, row.residual);
  }
}
