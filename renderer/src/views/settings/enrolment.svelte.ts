/**
 * Enrolment with a federation: the coordinator's address, the one-time invitation and the federation's CA
 * certificate (pinned: the coordinator must present a certificate it signed), for a coordinator with mutual TLS
 * this site's client certificate and key, and the federations so far.
 */
import type { FederationView, ParticipantApi } from '../../../../preload/contract.ts';
import { errorMessage } from '../../lib/format.ts';

type EnrolmentApi = Pick<ParticipantApi, 'federation.enrol' | 'federations.list'>;

export class EnrolmentController {
  readonly api: EnrolmentApi;
  federations = $state<FederationView[]>([]);
  coordinatorUrl = $state('');
  invitation = $state('');
  caCertificatePem = $state('');
  displayName = $state('');
  /** Only for a coordinator that asks for mutual TLS; both or neither. */
  clientCertificatePem = $state('');
  clientKeyPem = $state('');
  busy = $state(false);
  error = $state<string | undefined>(undefined);
  status = $state('');

  constructor(api: EnrolmentApi) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      this.federations = await this.api['federations.list']({});
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  /** Checked here first so the person hears what is missing without a round trip. */
  validationError(): string | undefined {
    if (!this.coordinatorUrl.trim()) return "Enter the coordinator's address (host:port).";
    if (this.invitation.trim().length < 8)
      return 'Enter the invitation token your consortium sent (8 characters or more).';
    if (!this.caCertificatePem.includes('-----BEGIN CERTIFICATE-----'))
      return "Paste the federation's CA certificate (PEM, starting with -----BEGIN CERTIFICATE-----).";
    return this.clientCertificateError();
  }

  clientCertificateError(): string | undefined {
    const [certificate, key] = [this.clientCertificatePem.trim(), this.clientKeyPem.trim()];
    if (!certificate && !key) return undefined;
    if (!certificate.includes('-----BEGIN CERTIFICATE-----'))
      return 'Paste the client certificate (PEM) that goes with the client key, or clear both.';
    if (!key.includes('PRIVATE KEY-----')) return "Paste the client certificate's private key (PEM), or clear both.";
    return undefined;
  }

  async enrol(): Promise<FederationView | undefined> {
    this.status = '';
    this.error = this.validationError();
    if (this.error) return undefined;
    this.busy = true;
    try {
      const federation = await this.api['federation.enrol']({
        coordinatorUrl: this.coordinatorUrl.trim(),
        invitation: this.invitation.trim(),
        caCertificatePem: this.caCertificatePem.trim(),
        ...(this.displayName.trim() ? { displayName: this.displayName.trim() } : {}),
        ...(this.clientCertificatePem.trim()
          ? { clientCertificatePem: this.clientCertificatePem.trim(), clientKeyPem: this.clientKeyPem.trim() }
          : {}),
      });
      this.status = `Enrolled in ${federation.name} at ${federation.coordinator} as ${federation.participantId}.`;
      this.invitation = '';
      this.clientKeyPem = '';
      await this.load();
      return federation;
    } catch (error) {
      this.error = errorMessage(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
