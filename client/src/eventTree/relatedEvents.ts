import type { RelatedEvent, RelatedEventsParams } from '../../../server/src/protocol';
import { visibleText } from '../../../server/src/model/text/visibleText';
import type { EventNode } from './eventTreeModel';

/** The server's answer to "which events are tied to this one". */
export interface RelatedEventsServer {
  relatedEvents(params: RelatedEventsParams): Promise<RelatedEvent[]>;
}

export interface RelatedEventPick {
  label: string;
  description: string;
  detail: string;
  event: RelatedEvent['event'];
}

function fileOf(uri: string | undefined): string {
  if (uri === undefined) return '';
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** One quick pick item per related event, oldest first as the server sends them; log text made visible and bounded. */
export function relatedEventPicks(related: readonly RelatedEvent[]): RelatedEventPick[] {
  return related.map(({ event, through }) => ({
    label: visibleText(`${event.eventName ?? '(no event name)'}${event.errorCode !== undefined ? ` (${event.errorCode})` : ''}`, 120),
    description: visibleText(`${event.eventTime ?? ''} · ${event.identityLabel ?? event.identity}`, 160),
    detail: visibleText(`${through} · ${fileOf(event.uri)}`, 240),
    event,
  }));
}

/** What showing related events needs of VS Code, so that tests can fake it. */
export interface RelatedEventsUi {
  pick(items: RelatedEventPick[], title: string): Thenable<RelatedEventPick | undefined>;
  open(uri: string, range: RelatedEvent['event']['range']): Thenable<void>;
  inform(message: string): void;
}

/** Lists the events related to the event of a tree node and opens the one picked at its record. */
export async function showRelatedEvents(server: RelatedEventsServer, node: EventNode | undefined, ui: RelatedEventsUi): Promise<void> {
  if (node?.type !== 'event') return;
  const related = await server.relatedEvents({ uri: node.uri, index: node.event.index });
  const name = visibleText(node.event.eventName ?? 'this event', 80);
  if (related.length === 0) {
    ui.inform(`No other event shares an access key, session, resource or request with ${name}.`);
    return;
  }
  const picked = await ui.pick(relatedEventPicks(related), `${related.length} events related to ${name}`);
  if (picked) await ui.open(picked.event.uri ?? node.uri, picked.event.range);
}
