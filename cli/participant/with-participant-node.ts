/**
 * Opens the participant node of ACCORD_HOME (or the OS application-data folder) for one command and closes it
 * after, so that commands only open the database once their arguments have been checked.
 */
import { openParticipantNode, type ParticipantNode } from '../../main/participant/participant-node.ts';

export async function withParticipantNode<T>(work: (node: ParticipantNode) => Promise<T> | T): Promise<T> {
  const node = openParticipantNode();
  try {
    return await work(node);
  } finally {
    node.close();
  }
}
