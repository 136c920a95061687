// The ballot and leader-review forms' fields: names and limits, shared by the card builder, the
// reader and every renderer.
export const COMMENT_MAX = 200;
export const LEADER_TEXT_MAX = 500;

/** One ballot line per ratee: a grade, optional stars per criterion, an optional comment. */
export const ballotField = {
  grade: (rateeId: number) => `grade_${rateeId}`,
  star: (criterion: number, rateeId: number) => `s${criterion}_${rateeId}`,
  comment: (rateeId: number) => `comment_${rateeId}`,
};

export const leaderField = {
  grade: (criterionId: string) => `g_${criterionId}`,
};

/** The leader review's three written parts, in card order: field name and label. */
export const LEADER_TEXTS = [
  { name: 'strengths', label: '主要优点' },
  { name: 'problems', label: '存在问题' },
  { name: 'direction', label: '努力方向' },
] as const;
export type LeaderText = (typeof LEADER_TEXTS)[number]['name'];
