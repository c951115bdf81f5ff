/**
 * The Events view's filter as SQL: the same events, searched in an organisation's whole history.
 * The text filter looks in every value of the record (Athena: the columns of the CloudTrail
 * table; Lake: the event's JSON); in the JSON columns it also finds property names, which the
 * editor's filter skips.
 */
import { EventFilter, timeRangeOf } from '../../eventGrouping';
import { renderQuery, SqlDialect, SqlPredicate } from './sqlQuery';

const SERVICE_SUFFIX = '.amazonaws.com';

/** The predicate of a filter: every event when it is empty. */
export function eventFilterPredicate(filter: EventFilter): SqlPredicate {
  const items: SqlPredicate[] = [];
  const text = filter.text?.trim().toLowerCase() ?? '';
  const service = filter.service?.trim().toLowerCase() ?? '';
  if (filter.errorsOnly === true) {
    // As the editor does: an errorCode that is there and not empty.
    items.push({ kind: 'present', field: ['errorCode'], present: true });
    items.push({ kind: 'not', item: { kind: 'text', field: ['errorCode'], pattern: { parts: [''], cased: true } } });
  }
  if (filter.writesOnly === true) {
    items.push({ kind: 'not', item: { kind: 'text', field: ['readOnly'], pattern: { parts: ['true'], cased: true } } });
  }
  if (service) {
    // As the editor does: the eventSource itself, or its short form ("acm" for acm.amazonaws.com).
    const names = [service, `${service}${SERVICE_SUFFIX}`];
    items.push({ kind: 'or', items: names.map((name) => ({ kind: 'text', field: ['eventSource'], pattern: { parts: [name], cased: false } })) });
  }
  const range = timeRangeOf(filter);
  if (range) {
    items.push({ kind: 'time', ...(Number.isFinite(range.from) ? { from: range.from } : {}), ...(Number.isFinite(range.to) ? { to: range.to } : {}) });
  }
  if (text) {
    items.push({ kind: 'anyValue', pattern: { parts: [{ wildcard: '*' }, text, { wildcard: '*' }], cased: false } });
  }
  return { kind: 'and', items };
}

/** A description of the filter for the query's comment. */
export function describeEventFilter(filter: EventFilter): string {
  const parts: string[] = [];
  if (filter.text?.trim()) parts.push(`text ${JSON.stringify(filter.text.trim())}`);
  if (filter.service?.trim()) parts.push(`service ${filter.service.trim()}`);
  if (filter.errorsOnly === true) parts.push('failed calls only');
  if (filter.writesOnly === true) parts.push('changes only');
  if (filter.from) parts.push(`from ${filter.from}`);
  if (filter.to) parts.push(`before ${filter.to}`);
  return parts.length > 0 ? parts.join(', ') : 'no filter: every event';
}

/** The Events view's filter as a whole query for the dialect. */
export function eventFilterSql(filter: EventFilter, dialect: SqlDialect, table?: string): string {
  return renderQuery(eventFilterPredicate(filter), {
    dialect,
    table,
    comments: [`Events of the CloudTrail Explorer filter: ${describeEventFilter(filter)}.`],
  });
}
