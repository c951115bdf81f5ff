/**
 * The ACME protocol events that ACM's ACME endpoints record under `acm-acme.amazonaws.com`: each
 * is a request of an ACME client (RFC 8555), not an ACM API call. Account events are management
 * events; the rest are data events, often with an anonymous caller, since ACME clients sign with
 * their own account key rather than AWS credentials.
 */

export interface AcmeProtocolEvent {
  name: string;
  category: 'Management' | 'Data';
  access: 'read' | 'write';
  /** What the ACME client asked for, in plain words. */
  summary: string;
}

const event = (name: string, category: AcmeProtocolEvent['category'], access: AcmeProtocolEvent['access'], summary: string): AcmeProtocolEvent => ({
  name,
  category,
  access,
  summary,
});

const EVENTS: readonly AcmeProtocolEvent[] = [
  event(
    'NewAccount',
    'Management',
    'write',
    'An ACME client registered a new ACME account at the endpoint (or looked up the account of its key), usually with external account binding credentials.',
  ),
  event('ManageAccount', 'Management', 'write', 'An ACME client changed its ACME account: its contacts, or deactivated it.'),
  event('ChangeAccountKey', 'Management', 'write', 'An ACME client replaced the key pair of its ACME account (key rollover).'),
  event('NewNonce', 'Data', 'read', 'An ACME client fetched a fresh nonce, which every signed ACME request needs to prevent replays.'),
  event('GetDirectory', 'Data', 'read', 'An ACME client read the endpoint\u2019s directory: the list of URLs for each ACME action. Clients do this first.'),
  event('NewOrder', 'Data', 'write', 'An ACME client placed an order for a certificate for one or more domain names.'),
  event('GetOrder', 'Data', 'read', 'An ACME client checked the state of one of its orders.'),
  event('ListOrders', 'Data', 'read', 'An ACME client listed the orders of its account.'),
  event('ManageAuthorization', 'Data', 'write', 'An ACME client read or deactivated an authorization: the proof that it controls a domain of an order.'),
  event(
    'FinalizeOrder',
    'Data',
    'write',
    'An ACME client sent the certificate signing request (CSR) of a ready order, asking for the certificate to be issued.',
  ),
  event(
    'GetCertificate',
    'Data',
    'read',
    'An ACME client downloaded the certificate issued for one of its orders. (Not the ACM API\u2019s GetCertificate: that one comes from acm.amazonaws.com.)',
  ),
  event(
    'RevokeCertificate',
    'Data',
    'write',
    'An ACME client revoked a certificate it had obtained. (Not the ACM API\u2019s RevokeCertificate: that one comes from acm.amazonaws.com.)',
  ),
];

const INDEX = new Map(EVENTS.map((entry) => [entry.name, entry]));

export function acmeProtocolEvents(): readonly AcmeProtocolEvent[] {
  return EVENTS;
}

export function acmeProtocolEvent(name: string): AcmeProtocolEvent | undefined {
  return INDEX.get(name);
}
