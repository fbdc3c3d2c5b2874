/** The federations this participant has enrolled in (one row each); the private key is in the keychain. */
import type { SqliteDatabase } from '../store/participant-database.ts';

export interface EnrolledFederation {
  readonly id: string;
  readonly name: string;
  /** host:port */
  readonly coordinator: string;
  readonly participantId: string;
  readonly caCertificatePem: string;
  /** The client certificate for a coordinator that asks for one (mutual TLS); its key is in the keychain. */
  readonly clientCertificatePem: string | null;
  readonly publicKeySha256: string;
  readonly enrolledAt: string;
}

const columns = `id, name, coordinator, participant_id AS participantId, ca_certificate AS caCertificatePem,
  client_certificate AS clientCertificatePem, public_key_sha256 AS publicKeySha256, enrolled_at AS enrolledAt`;

export class FederationRegistry {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  list(): EnrolledFederation[] {
    return this.#db
      .prepare(`SELECT ${columns} FROM federations ORDER BY enrolled_at, id`)
      .all() as EnrolledFederation[];
  }

  get(id: string): EnrolledFederation | undefined {
    return this.#db.prepare(`SELECT ${columns} FROM federations WHERE id = ?`).get(id) as
      EnrolledFederation | undefined;
  }

  /** Enrolling again (a new invitation) replaces the coordinator address, certificate and participant id. */
  save(federation: EnrolledFederation): void {
    this.#db
      .prepare(
        `INSERT INTO federations (id, name, coordinator, participant_id, ca_certificate, client_certificate,
           public_key_sha256, enrolled_at)
         VALUES (@id, @name, @coordinator, @participantId, @caCertificatePem, @clientCertificatePem,
           @publicKeySha256, @enrolledAt)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, coordinator = excluded.coordinator,
           participant_id = excluded.participant_id, ca_certificate = excluded.ca_certificate,
           client_certificate = excluded.client_certificate, public_key_sha256 = excluded.public_key_sha256, enrolled_at = excluded.enrolled_at`,
      )
      .run(federation);
  }
}
