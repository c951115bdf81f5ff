import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { iamActionExists, resolveIamActions } from '../../server/src/model/iam';
import { EVENTS_WITHOUT_ACTION } from '../../server/src/model/iam/eventMappings';
import { readFixture } from '../fixtures';

interface EventPair {
  eventSource: string;
  eventName: string;
  eventTypes?: string[];
}

/**
 * Events the data does not know: the model's own list of real events without an action. A pair
 * that starts to resolve, or a new one that does not, fails the test so that the list stays exact.
 */
const KNOWN_GAPS = Object.entries(EVENTS_WITHOUT_ACTION).flatMap(([prefix, names]) => names.map((name) => `${prefix}.amazonaws.com ${name}`));

function coverage(pairs: EventPair[]): { resolved: number; gaps: string[] } {
  let resolved = 0;
  const gaps: string[] = [];
  for (const pair of pairs) {
    const eventType = pair.eventTypes?.[0];
    const resolution = resolveIamActions(pair.eventSource, pair.eventName, eventType);
    if (resolution.kind === 'unknown') {
      gaps.push(`${pair.eventSource} ${pair.eventName}`);
      continue;
    }
    if (resolution.kind === 'actions') {
      assert.ok(resolution.actions.length > 0);
      for (const action of resolution.actions) {
        assert.ok(iamActionExists(action.action), `${pair.eventSource} ${pair.eventName} -> ${action.action}`);
      }
    }
    resolved++;
  }
  return { resolved, gaps };
}

describe('IAM coverage of real events', () => {
  const corpus = JSON.parse(readFixture('iam/corpus-event-pairs.json')) as EventPair[];
  const catalogue = JSON.parse(readFixture('iam/traildiscover-event-pairs.json')) as EventPair[];

  it('resolves at least 99% of the distinct events of the real logs and attack records', () => {
    assert.equal(corpus.length, 325);
    const { resolved, gaps } = coverage(corpus);
    assert.ok(resolved / corpus.length >= 0.99, `${String(resolved)} of ${String(corpus.length)}`);
    assert.deepEqual(
      gaps,
      KNOWN_GAPS.filter((gap) => corpus.some((pair) => `${pair.eventSource} ${pair.eventName}` === gap)),
    );
  });

  it('resolves at least 99% of the TrailDiscover catalogue', () => {
    assert.equal(catalogue.length, 381);
    const { resolved, gaps } = coverage(catalogue);
    assert.ok(resolved / catalogue.length >= 0.99, `${String(resolved)} of ${String(catalogue.length)}`);
    assert.deepEqual(
      gaps,
      KNOWN_GAPS.filter((gap) => catalogue.some((pair) => `${pair.eventSource} ${pair.eventName}` === gap)),
    );
  });

  it('reads sign-ins and service events of the real logs as needing no permission', () => {
    const consoleLogin = corpus.find((pair) => pair.eventName === 'ConsoleLogin');
    assert.ok(consoleLogin);
    assert.equal(resolveIamActions(consoleLogin.eventSource, consoleLogin.eventName, consoleLogin.eventTypes?.[0]).kind, 'no-permission');
  });
});
