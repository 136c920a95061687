// Every table of the bot, one module per responsibility under db/schema/; this is the one schema
// drizzle-kit reads and the code imports. Uniqueness lives in constraints, not in code.
export { type DateRange, ROLES, type Role } from '../bot/campaign/template.js';
export * from './schema/org.js';
export * from './schema/campaign.js';
export * from './schema/delivery.js';
export * from './schema/pledge.js';
export * from './schema/review.js';
export * from './schema/assess.js';
export * from './schema/web.js';
export * from './schema/survey.js';
export * from './schema/commend.js';
export * from './schema/semester.js';
