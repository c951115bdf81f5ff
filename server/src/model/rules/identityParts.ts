/**
 * The parts of a record's userIdentity that the rules read (its type, ARN and account, the session
 * issuer's, mfaAuthenticated), found in one pass over each object instead of one search per rule
 * and per name.
 */
import { JsonView, NO_NODE, NodeKind } from '../json/nodeTable';
import { KnownNamesList } from './duplicateNames';
import { KeyTable } from './keyTable';
import { keyIs } from './rawText';

/** The properties a userIdentity may have, as CloudTrail spells them. */
export const IDENTITY_KEYS: readonly string[] = [
  'type',
  'principalId',
  'arn',
  'accountId',
  'accessKeyId',
  'userName',
  'invokedBy',
  'invokedByDelegate',
  'onBehalfOf',
  'inScopeOf',
  'credentialId',
  'identityProvider',
  'sessionContext',
];

/** The properties a sessionContext may have. */
export const SESSION_CONTEXT_KEYS: readonly string[] = [
  'sessionIssuer',
  'webIdFederationData',
  'attributes',
  'sourceIdentity',
  'ec2RoleDelivery',
  'assumedRoot',
  'signInSessionArn',
];

export const IDENTITY_KEY_TABLE = new KeyTable(IDENTITY_KEYS);
export const SESSION_CONTEXT_KEY_TABLE = new KeyTable(SESSION_CONTEXT_KEYS);

const TYPE = IDENTITY_KEYS.indexOf('type');
const ARN = IDENTITY_KEYS.indexOf('arn');
const ACCOUNT_ID = IDENTITY_KEYS.indexOf('accountId');
const INVOKED_BY = IDENTITY_KEYS.indexOf('invokedBy');
const IDENTITY_PROVIDER = IDENTITY_KEYS.indexOf('identityProvider');
const SESSION_CONTEXT = IDENTITY_KEYS.indexOf('sessionContext');
const SESSION_ISSUER = SESSION_CONTEXT_KEYS.indexOf('sessionIssuer');
const ATTRIBUTES = SESSION_CONTEXT_KEYS.indexOf('attributes');

/**
 * Each part is the node `JsonView.property` would find (the first property of that exact name),
 * or NO_NODE; the parts below an object that is not a JSON object are NO_NODE.
 */
export class IdentityParts {
  /** The userIdentity object, or NO_NODE when the record has none or it is not an object. */
  identity = NO_NODE;
  type = NO_NODE;
  arn = NO_NODE;
  accountId = NO_NODE;
  invokedBy = NO_NODE;
  identityProvider = NO_NODE;
  sessionContext = NO_NODE;
  /** sessionContext.sessionIssuer (when sessionContext is an object). */
  sessionIssuer = NO_NODE;
  issuerType = NO_NODE;
  issuerArn = NO_NODE;
  issuerAccountId = NO_NODE;
  /** sessionContext.attributes.mfaAuthenticated. */
  mfaAuthenticated = NO_NODE;
  /** Properties of userIdentity and of sessionContext whose names are not written exactly as CloudTrail writes them. */
  readonly otherIdentityKeys: number[] = [];
  readonly otherSessionContextKeys: number[] = [];
  /** The names of the properties of userIdentity and sessionContext, as found. */
  readonly identityNames = new KnownNamesList();
  readonly sessionContextNames = new KnownNamesList();

  /** Finds the parts of `identity` (a userIdentity field, or NO_NODE); a name written twice is read from its last value. */
  read(view: JsonView, identity: number): void {
    this.identity = NO_NODE;
    this.type = this.arn = this.accountId = this.invokedBy = this.identityProvider = NO_NODE;
    this.sessionContext = this.sessionIssuer = this.issuerType = this.issuerArn = this.issuerAccountId = NO_NODE;
    this.mfaAuthenticated = NO_NODE;
    if (this.otherIdentityKeys.length !== 0) this.otherIdentityKeys.length = 0;
    if (this.otherSessionContextKeys.length !== 0) this.otherSessionContextKeys.length = 0;
    this.identityNames.begin(NO_NODE);
    this.sessionContextNames.begin(NO_NODE);
    const table = view.table;
    if (identity === NO_NODE || table.kind[identity] !== NodeKind.Object) {
      return;
    }
    this.identity = identity;
    const next = table.next;
    const stop = next[identity];
    this.identityNames.begin(identity);
    let previous = -1;
    for (let child = identity + 1; child < stop; child = next[child]) {
      const key = IDENTITY_KEY_TABLE.lookupNext(view, child, previous);
      previous = key;
      this.identityNames.add(table, child, key);
      if (key < 0) {
        this.otherIdentityKeys.push(child);
      } else if (key === TYPE) {
        this.type = child;
      } else if (key === ARN) {
        this.arn = child;
      } else if (key === ACCOUNT_ID) {
        this.accountId = child;
      } else if (key === INVOKED_BY) {
        this.invokedBy = child;
      } else if (key === IDENTITY_PROVIDER) {
        this.identityProvider = child;
      } else if (key === SESSION_CONTEXT) {
        this.sessionContext = child;
      }
    }
    const sessionContext = this.sessionContext;
    if (sessionContext === NO_NODE || table.kind[sessionContext] !== NodeKind.Object) {
      return;
    }
    let attributes = NO_NODE;
    this.sessionContextNames.begin(sessionContext);
    previous = -1;
    for (let child = sessionContext + 1; child < next[sessionContext]; child = next[child]) {
      const key = SESSION_CONTEXT_KEY_TABLE.lookupNext(view, child, previous);
      previous = key;
      this.sessionContextNames.add(table, child, key);
      if (key < 0) {
        this.otherSessionContextKeys.push(child);
      } else if (key === SESSION_ISSUER) {
        this.sessionIssuer = child;
      } else if (key === ATTRIBUTES) {
        attributes = child;
      }
    }
    const issuer = this.sessionIssuer;
    if (issuer !== NO_NODE && table.kind[issuer] === NodeKind.Object) {
      // Only three of its names matter here, each of a length of its own: compared only when the length is right.
      for (let child = issuer + 1; child < next[issuer]; child = next[child]) {
        if (keyIs(view, child, 'type')) {
          this.issuerType = child;
        } else if (keyIs(view, child, 'arn')) {
          this.issuerArn = child;
        } else if (keyIs(view, child, 'accountId')) {
          this.issuerAccountId = child;
        }
      }
    }
    if (attributes !== NO_NODE) {
      this.mfaAuthenticated = view.property(attributes, 'mfaAuthenticated');
    }
  }
}
