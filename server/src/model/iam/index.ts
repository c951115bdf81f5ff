/**
 * IAM behind CloudTrail: which actions an event's call needed, their access level, resource
 * types, condition keys and dependent actions, from the service authorization reference.
 * Synchronous and pure; the data is bundled with whatever imports this module.
 */
export {
  accessLevelRank,
  iamActionDescription,
  iamActionExists,
  iamActionInfo,
  iamActionsOfService,
  iamDataSource,
  iamDataUpdatedAt,
  iamDataVersion,
  iamServiceExists,
  iamServiceName,
  iamServicePrefixes,
  serviceAuthorizationUrl,
  strongestAccessLevel,
} from './iamData';
export type { IamActionInfo, IamResourceType } from './iamData';
export { eventSourcePrefix, iamPrefixForEventSource, isEventWithoutAction, permissionOnlyAction, resolveIamActions, undatedOperationName } from './resolve';
export type { IamResolution } from './resolve';
export {
  ACCESS_LEVEL_ORDER,
  accessLevelFilterValue,
  EVENT_ACCESS_LEVELS,
  eventAccessLevelRank,
  NO_IAM_PERMISSION,
  NOT_KNOWN,
  parseEventAccessLevel,
} from './accessLevels';
export type { AccessLevel, EventAccessLevel } from './accessLevels';
export { eventAccessLevel } from './eventAccessLevel';
