/** Public face of provisioning: profiles, sites, board matching, the files it writes. */
export { loadProfile, loadProfiles } from './board-profile';
export type { BoardProfile, LoadedProfile, ProfileMatch, Signalling } from './board-profile';
export { matchBoards } from './board-matcher';
export type { DetectedBoard } from './board-matcher';
export { loadSite } from './site-config';
export type { LoadedSite } from './site-config';
export type { SiteConfig } from './site-types';
export { planProvisioning, planDiff, TARGETS } from './plan';
export type { ProvisioningPlan, PlannedFile } from './plan';
export { applyPlan } from './apply';
export type { ApplyProgress, ApplyResult } from './apply';
export { readChannelMap, trunkGroupChannels } from './channel-map-types';
export type { ChannelMap, ChannelMapSeat, ChannelMapSpan, ChannelMapAnalogLines } from './channel-map-types';
export { ConfigFileError, formatIssue } from './errors';
export type { ConfigIssue } from './errors';
