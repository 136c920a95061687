// The shape of the scheduler and fan-out bench, shared by its runner (fanout.ts) and its bot child (fanout-sender.ts).

/** Members in the full-size run (the figure); the default run is scaled down. */
export const FULL_MEMBERS = 10_000;
export const DEFAULT_MEMBERS = 2_000;
/** Members per branch: a secretary and the rest members. */
export const BRANCH_SIZE = 100;
/** The campaign whose nudges fan out, and the one running beside it. */
export const TEMPLATE = 'three-lights';
export const SECOND_TEMPLATE = 'excellence';
