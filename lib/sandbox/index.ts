export { Sandbox, type SandboxMode, type SandboxOptions, type SandboxClientOptions, type ReceivedRequest, type NotificationEvent } from './sandbox';
export { type Fault } from './faults';
export { type Route, type SandboxRequest, type SandboxReply } from './routes';
export { type Identity } from './pki';
export { checkAuthorization, parseAuthorization, type AuthorizationParts, type KnownMerchant } from './authorization';
