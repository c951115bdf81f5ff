/**
 * The policy and the comparison as people read them: the policy as JSON text (valid, and with
 * every invisible character of a log value written as a JSON escape), the notes beside it and
 * the comparison as plain text, every log value shown through `visibleText`.
 */
import { jsonWithVisibleEscapes, visibleText } from '../../text/visibleText';
import { PolicyComparison } from './compare';
import { GeneratedPolicy, PolicyJson, PolicyNotes } from './generate';
import { placeName } from './policyDocument';

/** The policy document as the text of a JSON file (two-space indent, final newline). */
export function policyText(policy: PolicyJson): string {
  return `${jsonWithVisibleEscapes(JSON.stringify(policy, null, 2))}\n`;
}

const shown = (text: string): string => visibleText(text, 200);

function call(eventSource: string, eventName: string): string {
  return `${shown(eventSource)} ${shown(eventName)}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function span(first: string | undefined, last: string | undefined): string {
  if (first === undefined) return '';
  return first === last || last === undefined ? `, at ${shown(first)}` : `, ${shown(first)} to ${shown(last)}`;
}

/** What the user reads beside a generated policy: where `*` stands and why, what was left out. */
export function notesText(generated: GeneratedPolicy, subject: string): string {
  const notes: PolicyNotes = generated.notes;
  const lines: string[] = [];
  const statements = generated.policy.Statement;
  const actions = statements.reduce((sum, statement) => sum + statement.Action.length, 0);
  lines.push(`# Notes on the generated IAM policy`, '');
  lines.push(`Events: ${shown(subject)} (${plural(notes.events, 'event')}).`);
  if (statements.length === 0 && notes.failed.length > 0 && !notes.includeFailed) {
    lines.push(
      '',
      'The policy is empty: no successful call of these events needs an IAM permission. Their failed calls are listed below; include failed calls to grant what they tried.',
    );
  } else if (statements.length === 0) {
    lines.push('', 'No call of these events needs an IAM permission that could be granted, so the policy is empty.');
  } else {
    lines.push(
      `The policy grants ${plural(actions, 'action')} in ${plural(statements.length, 'statement')}, from ${plural(notes.callsInPolicy, notes.includeFailed ? 'call' : 'successful call')}${notes.includeFailed ? ' (failed calls included)' : ''}.`,
    );
  }
  if (notes.anyResource.length > 0) {
    lines.push('', '## Granted on every resource ("*")', '');
    for (const entry of notes.anyResource) lines.push(`- ${entry.action}: ${entry.reason}`);
  }
  if (notes.generalised.length > 0) {
    lines.push('', '## Resources written with wildcards', '');
    for (const entry of notes.generalised) lines.push(`- ${entry.action}: ${entry.resources} resources, written as ${entry.patterns.map(shown).join(', ')}`);
  }
  if (notes.failed.length > 0) {
    lines.push('', notes.includeFailed ? '## Failed calls (included in the policy)' : '## Failed calls (left out of the policy)', '');
    for (const failed of notes.failed) {
      const codes = failed.errorCodes.map((entry) => `${shown(entry.code)} ×${entry.count}`).join(', ');
      const needs = failed.actions.length > 0 ? ` needs ${failed.actions.join(', ')};` : '';
      lines.push(
        `- ${call(failed.eventSource, failed.eventName)}:${needs} ${plural(failed.count, 'failed call')} (${codes})${span(failed.first, failed.last)}`,
      );
    }
  }
  if (notes.dependentActions.length > 0) {
    lines.push('', '## Actions these may also need (not added)', '');
    for (const entry of notes.dependentActions) lines.push(`- ${entry.action}, for ${entry.neededBy.join(', ')}`);
  }
  if (notes.unknown.length > 0) {
    lines.push('', '## Calls whose IAM action is not known (left out, not guessed)', '');
    for (const entry of notes.unknown) lines.push(`- ${call(entry.eventSource, entry.eventName)}: ${plural(entry.count, 'call')}`);
  }
  if (notes.noPermission.length > 0) {
    lines.push('', '## Calls that need no IAM permission', '');
    for (const entry of notes.noPermission) lines.push(`- ${call(entry.eventSource, entry.eventName)}: ${plural(entry.count, 'call')}; ${entry.reason}`);
  }
  if (notes.unnamed > 0) {
    lines.push('', `${plural(notes.unnamed, 'event')} without an eventSource or eventName ${notes.unnamed === 1 ? 'was' : 'were'} left out.`);
  }
  return `${lines.join('\n')}\n`;
}

/** The comparison, statement by statement, then action by action. */
export function comparisonText(comparison: PolicyComparison, subject: string, policyName: string): string {
  const lines: string[] = [];
  lines.push(`# ${shown(policyName)} compared with the events`, '');
  lines.push(
    `Events: ${shown(subject)}; ${plural(comparison.successfulCalls, 'successful call')} compared, ${plural(comparison.failedCalls, 'failed call')} not compared.`,
  );
  lines.push('Actions and resources are evaluated as IAM does (wildcards, NotAction, NotResource, Deny over Allow); conditions are not evaluated.');
  lines.push(
    '',
    `Used: ${comparison.used.length} actions. Granted but never used: ${comparison.unused.length} Action entries. Used but not granted by this document: ${comparison.notGranted.length} actions.`,
  );
  lines.push('', '## Statements');
  for (const statement of comparison.statements) {
    lines.push('', `### Statement ${statement.index}${statement.sid ? ` (${shown(statement.sid)})` : ''}: ${statement.effect}`);
    if (statement.resources.length > 0) lines.push(`Resource: ${statement.resources.map(shown).join(', ')}`);
    if (statement.notResources.length > 0) lines.push(`NotResource: ${statement.notResources.map(shown).join(', ')}`);
    if (statement.conditions.length > 0) lines.push(`Conditions (not evaluated): ${statement.conditions.map(shown).join('; ')}`);
    if (statement.notAction) {
      lines.push(`NotAction: ${statement.entries.map((entry) => shown(entry.pattern)).join(', ')}`);
      if (statement.effect === 'Allow') {
        lines.push(
          statement.allowedByNotAction.length > 0
            ? `  used by: ${statement.allowedByNotAction.map((hit) => `${hit.action} ×${hit.count}`).join(', ')}`
            : '  used by no successful call',
        );
      }
      continue;
    }
    for (const entry of statement.entries) {
      if (statement.effect === 'Deny') {
        lines.push(`- ${shown(entry.pattern)}`);
      } else if (entry.matched.length === 0) {
        lines.push(`- ${shown(entry.pattern)}: unused, at ${placeName(entry.place)}`);
      } else {
        lines.push(`- ${shown(entry.pattern)}: used by ${entry.matched.map((hit) => `${hit.action} ×${hit.count}`).join(', ')}`);
      }
    }
  }
  lines.push('', '## Used', '');
  if (comparison.used.length === 0) lines.push('(none)');
  for (const outcome of comparison.used) {
    const unknown = outcome.resourceUnknown > 0 ? `; resources not named in ${plural(outcome.resourceUnknown, 'record')}, evaluated on the action alone` : '';
    lines.push(
      `- ${outcome.action}: ${plural(outcome.count, 'call')}${span(outcome.first, outcome.last)}; allowed by statement ${outcome.statements.join(', ')}${unknown}`,
    );
  }
  lines.push('', '## Granted but never used', '');
  if (comparison.unused.length === 0) lines.push('(none)');
  for (const entry of comparison.unused) lines.push(`- ${shown(entry.pattern)} in statement ${entry.statement}, at ${placeName(entry.place)}`);
  lines.push('', '## Used but not granted by this document', '');
  if (comparison.notGranted.length === 0) lines.push('(none)');
  for (const outcome of comparison.notGranted) {
    const why = outcome.denied ? `denied by statement ${outcome.statements.join(', ')}` : 'granted elsewhere (another policy) or by no statement here';
    lines.push(`- ${outcome.action}: ${plural(outcome.count, 'call')}${span(outcome.first, outcome.last)}; ${why}`);
  }
  if (comparison.unknownCalls.length > 0) {
    lines.push('', '## Calls whose IAM action is not known (not compared)', '');
    for (const entry of comparison.unknownCalls) lines.push(`- ${call(entry.eventSource, entry.eventName)}: ${plural(entry.count, 'call')}`);
  }
  if (comparison.noPermissionCalls.length > 0) {
    lines.push('', '## Calls that need no IAM permission', '');
    for (const entry of comparison.noPermissionCalls) lines.push(`- ${call(entry.eventSource, entry.eventName)}: ${plural(entry.count, 'call')}`);
  }
  return `${lines.join('\n')}\n`;
}
