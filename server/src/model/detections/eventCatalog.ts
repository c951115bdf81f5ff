import { acmOperation, ACM_ACME_EVENT_SOURCE, ACM_EVENT_SOURCE } from '../acm/acmApiModel';
import { acmeProtocolEvent } from '../explain/acmeProtocolEvents';
import { iamPrefixForEventSource, iamServiceExists, isEventWithoutAction, permissionOnlyAction, resolveIamActions } from '../iam';
import { EventCatalog } from './ruleSet';

/**
 * What CloudTrail can write, as far as the model knows: the ACM API model and the ACME events of
 * ACM decide for their two services, the IAM service authorization data for the others. A
 * service the IAM data does not list is not judged. IAM permissions that no API carries
 * (iam:PassRole) are never written as events, though the IAM data lists them as actions.
 */
export const cloudTrailEventCatalog: EventCatalog = {
  sourceExists(eventSource) {
    if (eventSource === ACM_EVENT_SOURCE || eventSource === ACM_ACME_EVENT_SOURCE) return true;
    const prefix = iamPrefixForEventSource(eventSource);
    if (prefix === undefined) return false;
    return iamServiceExists(prefix) ? true : undefined;
  },
  eventExists(eventSource, eventName) {
    if (permissionOnlyAction(eventSource, eventName) !== undefined) return false;
    if (eventSource === undefined) return undefined;
    if (eventSource === ACM_EVENT_SOURCE) return acmOperation(eventName) !== undefined;
    if (eventSource === ACM_ACME_EVENT_SOURCE) return acmeProtocolEvent(eventName) !== undefined;
    const prefix = iamPrefixForEventSource(eventSource);
    if (prefix === undefined || !iamServiceExists(prefix)) return undefined;
    return resolveIamActions(eventSource, eventName).kind !== 'unknown' || isEventWithoutAction(eventSource, eventName);
  },
  absenceReason(eventSource, eventName) {
    const permission = permissionOnlyAction(eventSource, eventName);
    return permission && `${permission.action} is a permission, not a call: it is ${permission.checkedWhere}.`;
  },
};
