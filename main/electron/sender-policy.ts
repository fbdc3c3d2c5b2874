/** The renderer is only ever loaded from app://accord/: any other sender of an IPC message is refused. */
export const appOrigin = 'app://accord';

export function isTrustedSenderUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'accord';
  } catch {
    return false;
  }
}
